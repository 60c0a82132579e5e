import ChatProtocol
import PersonaRuntime

/// One live session as the service-wide presence lists it (`GET /admin/presence`,
/// `persona sessions --all-nodes`): which node holds it, for which tenant, what it is.
///
/// Stored in the tenant's presence hash as `node TAB kind TAB personality` (``info``): node
/// ids hold no tabs (`--node-id` refuses whitespace), kinds are fixed words, and personality
/// ids are identifiers.
public struct PresenceEntry: Hashable, Sendable {
    /// The session id.
    public var session: String
    /// The tenant of the client's API key; nil for clients without one.
    public var tenant: String?
    /// The node holding the session.
    public var node: String
    /// `bot`, `human` or `matching`.
    public var kind: String
    /// The personality id of a bot session.
    public var personality: String?

    /// An entry.
    package init(session: String, tenant: String?, node: String, kind: String, personality: String?) {
        self.session = session
        self.tenant = tenant
        self.node = node
        self.kind = kind
        self.personality = personality
    }

    /// The entry of a hub's session summary, held by `node`.
    package init(_ summary: SessionSummary, node: String) {
        self.init(
            session: summary.id, tenant: summary.tenant, node: node,
            kind: summary.kind?.rawValue ?? "matching",
            personality: summary.personality?.id)
    }

    /// The entry of a session that just started or was resumed on `node`.
    package init(_ start: SessionStart, tenant: String?, node: String) {
        self.init(
            session: start.session, tenant: tenant, node: node, kind: start.kind.rawValue,
            personality: start.personality?.id)
    }

    /// The value stored in the presence hash.
    package var info: String { node + "\t" + kind + "\t" + (personality ?? "") }

    /// The entry of `session` in `tenant`'s hash whose value is `info`; nil when malformed.
    package init?(session: String, tenant: String?, info: String) {
        let fields = info.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 3, !fields[0].isEmpty, !fields[1].isEmpty else { return nil }
        self.init(
            session: session, tenant: tenant, node: String(fields[0]), kind: String(fields[1]),
            personality: fields[2].isEmpty ? nil : String(fields[2]))
    }
}

/// One tenant's part of the presence: how many sessions are online on all nodes, and the
/// first of them (at most the listing's limit).
public struct PresenceTenant: Hashable, Sendable {
    /// The tenant; nil for clients without an API key tenant.
    public var tenant: String?
    /// Sessions online now, on every node.
    public var online: Int
    /// The listed sessions, ordered by node then id.
    public var sessions: [PresenceEntry]

    /// A tenant's presence.
    package init(tenant: String?, online: Int, sessions: [PresenceEntry]) {
        self.tenant = tenant
        self.online = online
        self.sessions = sessions
    }
}
