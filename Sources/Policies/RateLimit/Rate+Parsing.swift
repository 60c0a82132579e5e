extension Rate {
    /// Parses `"<count>/<period>"`.
    ///
    /// `count` is a positive decimal integer; `period` is an optional positive multiplier
    /// followed by a unit: `ms`, `s`/`sec`/`second(s)`, `m`/`min`/`minute(s)`,
    /// `h`/`hr`/`hour(s)`, `d`/`day(s)`. Whitespace around the parts is ignored and units are
    /// case-insensitive. Examples: `30/min`, `5/s`, `1000/h`, `10/30s`, `100 / 5 minutes`.
    /// `m` means minutes (there is no month unit: quotas that long belong in a store, not a
    /// limiter).
    public init(parsing text: String) throws(RateParseError) {
        let trimmed = text.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        guard let slash = trimmed.firstIndex(of: "/") else { throw .missingSlash }
        let countText = String(trimmed[..<slash]).trimmingASCIIWhitespace()
        let periodText = String(trimmed[trimmed.index(after: slash)...]).trimmingASCIIWhitespace()

        guard !countText.isEmpty, countText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .invalidCount(countText)
        }
        guard countText.utf8.count <= 10, let count = Int(countText), count <= Rate.maximumCount else {
            throw .countTooLarge(countText)
        }
        guard count >= 1 else { throw .invalidCount(countText) }

        let digits = periodText.utf8.prefix { $0 >= 0x30 && $0 <= 0x39 }
        var multiplier: Int64 = 1
        if !digits.isEmpty {
            guard digits.count <= 9, let value = Int64(String(decoding: digits, as: UTF8.self)), value >= 1
            else {
                throw .invalidPeriod(periodText)
            }
            multiplier = value
        }
        let unit = String(decoding: periodText.utf8.dropFirst(digits.count), as: UTF8.self)
            .trimmingASCIIWhitespace().lowercased()
        let unitNanoseconds: Int64
        switch unit {
        case "ms", "msec", "millisecond", "milliseconds": unitNanoseconds = 1_000_000
        case "s", "sec", "secs", "second", "seconds": unitNanoseconds = 1_000_000_000
        case "m", "min", "mins", "minute", "minutes": unitNanoseconds = 60_000_000_000
        case "h", "hr", "hrs", "hour", "hours": unitNanoseconds = 3_600_000_000_000
        case "d", "day", "days": unitNanoseconds = 86_400_000_000_000
        default: throw .unknownUnit(unit)
        }
        // 9 digits of multiplier times a day fits comfortably in Int64 nanoseconds.
        guard let rate = Rate(count: count, per: .nanoseconds(multiplier * unitNanoseconds)) else {
            throw .invalidPeriod(periodText)
        }
        self = rate
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces, tabs and newlines.
    func trimmingASCIIWhitespace() -> String {
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        while start < end,
            bytes[start] == 0x20 || bytes[start] == 0x09 || bytes[start] == 0x0A || bytes[start] == 0x0D
        {
            start += 1
        }
        while end > start,
            bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0A
                || bytes[end - 1] == 0x0D
        {
            end -= 1
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
