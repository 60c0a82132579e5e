/// A sustained rate: `count` events per `period`, e.g. 30 per minute.
///
/// Written in configuration as `"<count>/<period>"` (see ``Rate/init(parsing:)``), the form the
/// personality loader reuses for `limits.yaml`.
public struct Rate: Hashable, Sendable, CustomStringConvertible {
    /// Events allowed per period; at least 1.
    public let count: Int
    /// The period the count applies to; positive.
    public let period: Duration

    /// The largest count accepted, so that limiter arithmetic has ample headroom.
    public static let maximumCount = 1_000_000_000

    /// Creates a rate, or returns nil when `count` is outside `1...maximumCount` or `period`
    /// is not positive.
    public init?(count: Int, per period: Duration) {
        guard count >= 1, count <= Rate.maximumCount, period > .zero,
            period.policyNanoseconds < Int64.max
        else { return nil }
        self.count = count
        self.period = period
    }

    /// `period` in nanoseconds.
    var periodNanoseconds: Int64 { period.policyNanoseconds }

    /// The canonical spelling, e.g. `30/min`, `5/s`, `10/30s`.
    public var description: String {
        let nanos = periodNanoseconds
        for (unit, size) in [
            ("d", Int64(86_400_000_000_000)), ("h", 3_600_000_000_000),
            ("min", 60_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000),
        ]
        where nanos % size == 0 {
            let multiple = nanos / size
            return multiple == 1 ? "\(count)/\(unit)" : "\(count)/\(multiple)\(unit)"
        }
        return "\(count)/\(nanos)ns"
    }
}
