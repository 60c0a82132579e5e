/// Why a streamed reply stopped, as `reply_end`'s `finish`.
public enum FinishReason: String, Hashable, Sendable, CaseIterable {
    /// The reply is complete.
    case stop
    /// The reply was cut at the personality's `max_reply_tokens`.
    case length
    /// The client cancelled it (or the session ended while it streamed).
    case cancelled
    /// The engine failed part way; the tokens sent so far are all there is.
    case error
}
