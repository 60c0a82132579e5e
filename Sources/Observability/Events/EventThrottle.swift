import Policies

/// Decides which events get a log line: at most one per key (reason and source) per
/// `interval`, the first of each interval, carrying how many of its kind were suppressed since
/// the previous line. A pure value: the caller passes the time in and keeps it behind a lock.
///
/// Memory is bounded: at most `maxKeys` keys are remembered. When full, keys whose interval
/// has passed are swept; if none has, the new key's event is logged without being remembered
/// (an attacker cycling through sources can make the log busier, never the server bigger).
public struct EventThrottle: Sendable {
    /// What to do with one event.
    public enum Decision: Hashable, Sendable {
        /// Write the line; `suppressed` events of this key were dropped since the last one.
        case log(suppressed: Int)
        /// Drop it (counted, and reported with the next line for its key).
        case suppress
    }

    private struct Window: Sendable {
        var start: PolicyInstant
        var suppressed: Int
    }

    /// The shortest time between two lines for one key. Default 10 s.
    public let interval: Duration
    /// Keys remembered at most. Default 4,096.
    public let maxKeys: Int
    private var windows: [String: Window] = [:]

    /// Creates a throttle.
    public init(interval: Duration = .seconds(10), maxKeys: Int = 4_096) {
        self.interval = interval
        self.maxKeys = max(1, maxKeys)
    }

    /// Keys remembered now.
    public var keyCount: Int { windows.count }

    /// Decides about one event for `key` at `now`.
    public mutating func record(_ key: String, now: PolicyInstant) -> Decision {
        if var window = windows[key] {
            if now < window.start.advanced(by: interval) {
                window.suppressed += 1
                windows[key] = window
                return .suppress
            }
            windows[key] = Window(start: now, suppressed: 0)
            return .log(suppressed: window.suppressed)
        }
        if windows.count >= maxKeys {
            let horizon = now.advanced(by: .zero - interval)
            windows = windows.filter { $0.value.start > horizon }
            guard windows.count < maxKeys else { return .log(suppressed: 0) }
        }
        windows[key] = Window(start: now, suppressed: 0)
        return .log(suppressed: 0)
    }
}
