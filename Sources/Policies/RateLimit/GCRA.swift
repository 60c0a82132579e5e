/// The Generic Cell Rate Algorithm (ITU-T I.371 "virtual scheduling"), the arithmetic behind
/// every limiter in this module.
///
/// Why GCRA rather than a token bucket: it is the same policy (a bucket of `burst` tokens
/// refilled at `rate`) but the whole state is one number, the *theoretical arrival time* (TAT),
/// so there is no refill step, no floating point, and retry-after falls out exactly as
/// `TAT + cost·T − burst·T − now`. A key whose TAT is at or before `now` has a full bucket and
/// can be forgotten without changing any future decision — which is what lets the keyed
/// limiter expire idle keys.
///
/// Exactness: with `T = period / count` not a whole number of nanoseconds (e.g. 7/s), rounding
/// T would drift. Time is therefore kept in *scaled* units of `1/count` nanoseconds, in which
/// T is exactly `period` nanoseconds; `Int128` keeps the products far from overflow.
public struct GCRA: Hashable, Sendable {
    /// The sustained rate.
    public let rate: Rate
    /// How many events may happen back to back after a quiet period; at least 1.
    public let burst: Int

    /// The emission interval in scaled units (`period` nanoseconds × `count` / `count`).
    let interval: Int128
    /// `burst × interval`: how far the TAT may run ahead of now.
    let capacity: Int128
    /// Scaled units per nanosecond.
    let scale: Int128

    /// Creates the algorithm for `rate` with `burst` (clamped to at least 1).
    public init(rate: Rate, burst: Int) {
        self.rate = rate
        self.burst = max(1, burst)
        self.interval = Int128(rate.periodNanoseconds)
        self.capacity = Int128(max(1, burst)) * Int128(rate.periodNanoseconds)
        self.scale = Int128(rate.count)
    }

    /// `now` in scaled units.
    func scaled(_ now: PolicyInstant) -> Int128 {
        Int128(now.nanoseconds) * scale
    }

    /// Decides one event of `cost` at `now` against a stored TAT (nil = never seen / full),
    /// updating `tat` only when the event is allowed.
    ///
    /// A cost of 0 asks without spending.
    public func decide(tat: inout Int128?, now: PolicyInstant, cost: Int = 1) -> RateLimitDecision {
        precondition(cost >= 0, "rate limiter cost must not be negative")
        if cost > burst { return .exceedsBurst }
        let nowScaled = scaled(now)
        let base = max(tat ?? nowScaled, nowScaled)
        let newTAT = base + Int128(cost) * interval
        let limit = nowScaled + capacity
        if newTAT <= limit {
            if cost > 0 { tat = newTAT }
            return .allowed(remaining: Int((limit - newTAT) / interval))
        }
        // Allowed once now' + capacity >= newTAT, i.e. after (newTAT - limit) scaled units.
        let waitScaled = newTAT - limit
        let perMillisecond = scale * 1_000_000
        let milliseconds = (waitScaled + perMillisecond - 1) / perMillisecond
        return .limited(retryAfterMilliseconds: Int64(clamping: milliseconds))
    }

    /// Whether a stored TAT is equivalent to a full bucket at `now` (so it can be dropped).
    public func isIdle(tat: Int128, now: PolicyInstant) -> Bool {
        tat <= scaled(now)
    }
}
