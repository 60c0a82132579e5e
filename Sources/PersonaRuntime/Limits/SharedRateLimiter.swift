import Policies

/// A rate limiter several nodes share (Redis), as one hub sees it: called on the hub's thread,
/// never blocking it. ``check(key:rate:burst:ticket:)`` answers later through
/// ``ChatHub/sharedRateAnswered(_:_:)`` with the ticket.
public protocol SharedRateLimiter: AnyObject {
    /// Spends one event of `key` against `rate` with `burst`; the decision (nil when the
    /// limiter could not decide) comes through the hub.
    func check(key: String, rate: Rate, burst: Int, ticket: StoreTicket)
}

/// The process-wide half of a shared rate limiter, safe to call from any thread; the server
/// adapts it to each hub's ``SharedRateLimiter`` by delivering decisions on the hub's loop.
public protocol SharedRateLimiterBackend: AnyObject, Sendable {
    /// Spends one event of `key`; `completion` (any thread) gets the decision, or nil when
    /// the limiter cannot be reached (the hub then relies on its own limiters).
    func check(key: String, rate: Rate, burst: Int, completion: @escaping @Sendable (RateLimitDecision?) -> Void)
}
