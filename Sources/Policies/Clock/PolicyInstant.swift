/// A point on a monotonic timeline, in nanoseconds from an arbitrary origin.
///
/// Policies never read a clock themselves: every decision takes the current instant as a
/// parameter, usually obtained from a ``PolicyClock`` the caller owns. Only differences between
/// instants matter, so the origin can be boot time, process start or zero in a test.
public struct PolicyInstant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the clock's origin.
    public var nanoseconds: Int64

    /// Creates an instant `nanoseconds` after the clock's origin.
    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// The clock's origin.
    public static let zero = PolicyInstant(nanoseconds: 0)

    /// The instant `duration` later (saturating instead of trapping at the ends of the range).
    public func advanced(by duration: Duration) -> PolicyInstant {
        let (sum, overflow) = nanoseconds.addingReportingOverflow(duration.policyNanoseconds)
        return PolicyInstant(nanoseconds: overflow ? (duration < .zero ? .min : .max) : sum)
    }

    /// Orders instants by time.
    public static func < (lhs: PolicyInstant, rhs: PolicyInstant) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    /// The instant as nanoseconds, for logs and test failures.
    public var description: String { "\(nanoseconds)ns" }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating at the ends of `Int64`.
    var policyNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return sum
    }
}
