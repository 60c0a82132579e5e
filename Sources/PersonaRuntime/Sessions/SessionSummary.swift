import ChatProtocol
import Policies

/// One live session as the admin API and `/metrics` see it (never message text).
public struct SessionSummary: Hashable, Sendable {
    /// Where the session is in its life.
    public enum Phase: String, Hashable, Sendable {
        /// Waiting for a partner.
        case matching
        /// Chatting.
        case active
        /// Finishing its last reply before it ends.
        case ending
    }

    /// The session id.
    public var id: String
    /// The connection holding it.
    public var connection: ConnectionID
    /// Where it is in its life.
    public var phase: Phase
    /// Bot or human; `nil` while matching.
    public var kind: SessionKind?
    /// The personality id and version of a bot session.
    public var personality: PersonalityInfo?
    /// When it was created (monotonic).
    public var createdAt: PolicyInstant
    /// The last sequence number used.
    public var seq: Int
    /// Bot replies started.
    public var replies: Int
    /// Whether a reply is streaming now.
    public var streaming: Bool
    /// The tenant of the client's API key, if any (the admin view filters on it).
    public var tenant: String? = nil
}
