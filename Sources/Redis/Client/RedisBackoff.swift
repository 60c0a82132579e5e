/// How long to wait before reconnect attempt `n`: exponential from ``base`` up to ``cap``, with
/// "equal jitter" — half the step fixed, half random — so nodes that lost Redis together do not
/// all come back in the same millisecond, yet none retries sooner than half its step.
public struct RedisBackoff: Hashable, Sendable {
    /// The first step. Default 50 ms.
    public var base: Duration
    /// The largest step. Default 5 s.
    public var cap: Duration

    /// Creates a backoff.
    public init(base: Duration = .milliseconds(50), cap: Duration = .seconds(5)) {
        self.base = base
        self.cap = cap
    }

    /// The step for attempt `attempt` (0 = the first retry) before jitter: `base·2^attempt`,
    /// at most ``cap``.
    public func step(attempt: Int) -> Duration {
        let shift = min(max(0, attempt), 30)
        let grown = base * (1 << shift)
        return grown > cap ? cap : grown
    }

    /// The delay for `attempt` given `unit`, a random number in `0...1`:
    /// `step/2 + step/2 · unit`.
    public func delay(attempt: Int, unit: Double) -> Duration {
        let half = step(attempt: attempt) / 2
        return half + half * min(1, max(0, unit))
    }
}
