/// The outcome of asking a rate limiter whether an event may happen now.
public enum RateLimitDecision: Hashable, Sendable {
    /// The event is allowed; `remaining` more events of cost 1 would be allowed right now.
    case allowed(remaining: Int)
    /// The event is refused; the same request will be allowed after `retryAfterMilliseconds`
    /// (exact, rounded up to the next whole millisecond, so retrying at that moment succeeds).
    case limited(retryAfterMilliseconds: Int64)
    /// The event costs more than the burst, so no amount of waiting will allow it.
    case exceedsBurst

    /// Whether the event may proceed.
    public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }
}
