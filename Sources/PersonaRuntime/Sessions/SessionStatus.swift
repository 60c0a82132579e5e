import ChatProtocol
import Policies

/// One live session as its own client may see it (REST `GET /v1/sessions/{id}`): where it is,
/// what it has said, and what its limits still allow.
public struct SessionStatus: Hashable, Sendable {
    /// Where the session is, and who holds it.
    public var summary: SessionSummary
    /// What the session's limits still allow.
    public var limits: LimitsLeft

    /// Creates a status.
    public init(summary: SessionSummary, limits: LimitsLeft) {
        self.summary = summary
        self.limits = limits
    }
}

/// What a session's response limits still allow; `nil` means unlimited.
public struct LimitsLeft: Hashable, Sendable {
    /// Replies left before `responses_per_session` is used up (queued messages count as replies).
    public var responses: Int?
    /// Messages the client may still send today (`daily_messages_per_client`).
    public var dailyMessages: Int?
    /// Longest message accepted, in characters (`max_input_chars`).
    public var maxInputCharacters: Int?
    /// Most tokens of one reply (`max_reply_tokens`, lowered by `start`'s `max_tokens`).
    public var maxReplyTokens: Int?

    /// Creates a value.
    public init(responses: Int?, dailyMessages: Int?, maxInputCharacters: Int?, maxReplyTokens: Int?) {
        self.responses = responses
        self.dailyMessages = dailyMessages
        self.maxInputCharacters = maxInputCharacters
        self.maxReplyTokens = maxReplyTokens
    }
}
