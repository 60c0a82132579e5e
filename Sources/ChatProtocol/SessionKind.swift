/// Who the client is talking to in a session.
public enum SessionKind: String, Hashable, Sendable, CaseIterable {
    /// A personality (direct, or a random session that fell back to one).
    case bot
    /// Another client, matched by the matchmaker.
    case human
}
