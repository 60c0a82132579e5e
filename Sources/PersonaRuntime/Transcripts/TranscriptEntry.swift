import Policies

/// One turn of a conversation as stored: always scrubbed text.
public struct TranscriptEntry: Hashable, Sendable {
    /// Who said it.
    public enum Role: String, Hashable, Sendable {
        /// The session's own client.
        case user
        /// The bot.
        case bot
        /// The human partner.
        case partner
    }

    /// The session id.
    public var session: String
    /// The turn's sequence number in the session.
    public var seq: Int
    /// Who said it.
    public var role: Role
    /// The scrubbed text.
    public var text: String
    /// When the hub accepted (user, partner) or finished (bot) it.
    public var at: PolicyInstant

    /// Creates an entry.
    public init(session: String, seq: Int, role: Role, text: String, at: PolicyInstant) {
        self.session = session
        self.seq = seq
        self.role = role
        self.text = text
        self.at = at
    }
}
