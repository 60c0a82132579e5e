/// Why the server refused something, as the `code` of an `error` frame.
///
/// Codes are part of the protocol: clients branch on them, so a code is never renamed. Each
/// says what the client can do about it (fix the frame, wait `retry_after_ms`, start over).
public enum ErrorCode: String, Hashable, Sendable, CaseIterable {
    /// The frame is not well-formed JSON (RFC 8259), or not a JSON object.
    case invalidJSON = "invalid_json"
    /// The `type` member names no client message of this protocol version.
    case unknownType = "unknown_type"
    /// A required member is absent (the message names it).
    case missingField = "missing_field"
    /// A member has the wrong JSON type or an out-of-range value, or is not part of the message.
    case invalidField = "invalid_field"
    /// `start` named a personality the registry does not have.
    case unknownPersonality = "unknown_personality"
    /// The session id is not known (never existed, or already ended and forgotten).
    case unknownSession = "unknown_session"
    /// The session belongs to another connection.
    case notYourSession = "not_your_session"
    /// The frame or the message text is longer than allowed.
    case messageTooLarge = "message_too_large"
    /// Too many messages; retry after `retry_after_ms`.
    case rateLimited = "rate_limited"
    /// A response limit is reached (`on_limit: error`, or the daily quota); see `retry_after_ms`.
    case limitReached = "limit_reached"
    /// The session is not in a state that accepts this (still matching, or already ended).
    case sessionNotActive = "session_not_active"
    /// Too many messages are queued behind the reply being streamed.
    case busy = "busy"
    /// The connection already holds the most sessions it may.
    case tooManySessions = "too_many_sessions"
    /// The server is draining for shutdown and takes no new sessions.
    case shuttingDown = "shutting_down"
    /// The store could not record the message, so it was not accepted (nothing unstored is
    /// ever acknowledged); send it again later.
    case storeUnavailable = "store_unavailable"
    /// `resume` presented a token that does not belong to the session.
    case invalidResumeToken = "invalid_resume_token"
    /// `resume` named a session that has ended (or stayed disconnected past `resume_window`).
    case sessionExpired = "session_expired"
    /// Something failed inside the server; the message is for logs, not for users.
    case `internal` = "internal"
}
