/// A rate as authors write it: a count per period — `30/min`, `5/s`, `100/h`, `1000/day`.
public struct RateSpec: Hashable, Sendable, CustomStringConvertible {
    /// How many events the period allows (> 0).
    public var count: Int
    /// The period the count is spread over.
    public var period: Duration
    /// The unit as written (`s`, `min`, `h`, `day`), kept so the rate prints as authored.
    public var unit: String

    /// Creates a rate.
    public init(count: Int, period: Duration, unit: String) {
        self.count = count
        self.period = period
        self.unit = unit
    }

    /// Parses `<count>/<unit>` with unit `s`, `sec`, `second`, `m`, `min`, `minute`, `h`,
    /// `hour`, `d`, `day`; `nil` when the text is not a rate or the count is not positive.
    public init?(parsing text: String) {
        let parts = text.trimmingWhitespace().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0].trimmingCharacters(in: " ")), count > 0 else { return nil }
        let unit = parts[1].trimmingCharacters(in: " ")
        let period: Duration
        switch unit {
        case "s", "sec", "second": period = .seconds(1)
        case "m", "min", "minute": period = .seconds(60)
        case "h", "hour": period = .seconds(3_600)
        case "d", "day": period = .seconds(86_400)
        default: return nil
        }
        self.init(count: count, period: period, unit: unit)
    }

    /// `count/unit`.
    public var description: String { "\(count)/\(unit)" }

    /// Events per second.
    public var perSecond: Double {
        Double(count) / (Double(period.components.seconds) + Double(period.components.attoseconds) / 1e18)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var slice = self
        while slice.first == set { slice = slice.dropFirst() }
        while slice.last == set { slice = slice.dropLast() }
        return String(slice)
    }
}
