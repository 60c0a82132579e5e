/// A point on a monotonic timeline, in nanoseconds since an arbitrary origin.
///
/// Deliberately not wall-clock time: deadlines must not jump when NTP corrects the clock.
public struct MonotonicInstant: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the clock's origin.
    public var nanoseconds: UInt64

    /// Creates an instant `nanoseconds` after the origin.
    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    /// The clock's origin (where a test's time starts).
    public static let zero = MonotonicInstant(nanoseconds: 0)

    /// The instant `duration` later (saturating; negative durations move backwards to zero).
    public func advanced(by duration: Duration) -> MonotonicInstant {
        let delta = duration.nanosecondsClamped
        if delta >= 0 {
            let (sum, overflow) = nanoseconds.addingReportingOverflow(UInt64(delta))
            return MonotonicInstant(nanoseconds: overflow ? .max : sum)
        }
        let magnitude = UInt64(-delta)
        return MonotonicInstant(nanoseconds: nanoseconds > magnitude ? nanoseconds - magnitude : 0)
    }

    /// The time from `self` to `later`, zero if `later` is not after `self`.
    public func duration(to later: MonotonicInstant) -> Duration {
        later > self ? .nanoseconds(Int64(clamping: later.nanoseconds - nanoseconds)) : .zero
    }

    /// Orders instants along the timeline.
    public static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    /// `"12.345678901s"` since the origin, for logs.
    public var description: String {
        let fraction = String(nanoseconds % 1_000_000_000)
        return
            "\(nanoseconds / 1_000_000_000).\(String(repeating: "0", count: 9 - fraction.count))\(fraction)s"
    }
}

extension Duration {
    /// The duration in whole nanoseconds, clamped to `Int64`.
    package var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow2 ? (seconds < 0 ? .min : .max) : sum
    }
}
