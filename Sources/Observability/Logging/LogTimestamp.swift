/// A wall-clock instant for a log line, as nanoseconds since the Unix epoch (UTC).
///
/// This module never reads a clock: the shell passes a ``LogClock``, tests pass fixed values,
/// so every rendered line is reproducible.
public struct LogTimestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanosecondsSinceEpoch: Int64

    /// Creates a timestamp.
    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    /// RFC 3339 (§5.6) in UTC with milliseconds: `2026-11-21T12:07:09.123Z`.
    public var description: String {
        let millis =
            nanosecondsSinceEpoch >= 0
            ? nanosecondsSinceEpoch / 1_000_000 : (nanosecondsSinceEpoch - 999_999) / 1_000_000
        var days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let dayMillis = millis - days * 86_400_000
        // Civil date from days since the epoch (the proleptic Gregorian calendar, counted
        // from 0000-03-01 so the leap day falls at the end of each year).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(dayMillis / 3_600_000, 2)):"
            + "\(pad(dayMillis / 60_000 % 60, 2)):\(pad(dayMillis / 1000 % 60, 2)).\(pad(dayMillis % 1000, 3))Z"
    }

    /// Orders by time.
    public static func < (lhs: LogTimestamp, rhs: LogTimestamp) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }
}

/// Where a ``Logger`` gets its timestamps. The server passes the system's real-time clock;
/// tests pass a fixed or stepping one.
public protocol LogClock: Sendable {
    /// The current wall-clock time.
    func now() -> LogTimestamp
}

/// A clock that always answers the same instant (tests, and tools that do not want times).
public struct FixedLogClock: LogClock {
    /// The instant answered.
    public var instant: LogTimestamp

    /// Creates a clock stuck at `instant`.
    public init(_ instant: LogTimestamp = LogTimestamp(nanosecondsSinceEpoch: 0)) {
        self.instant = instant
    }

    /// Always ``instant``.
    public func now() -> LogTimestamp { instant }
}
