/// What happens when a session reaches a response limit.
public enum LimitAction: String, Hashable, Sendable, CaseIterable {
    /// The bot says its farewell and the session ends with reason `limit_reached`.
    case farewell
    /// The message is refused with a `limit_reached` error (with `retry_after_ms` where the
    /// limit resets, such as the daily quota); the session stays open.
    case error
}
