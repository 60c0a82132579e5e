import ChatProtocol

/// A random session waiting in the ``MatchQueue`` for a human partner.
public struct MatchTicket: Hashable, Sendable {
    /// Where the waiting session lives.
    public var address: PeerAddress
    /// The connection holding it (a connection is never matched with itself).
    public var connection: ConnectionID
    /// What it asked for.
    public var filters: RandomFilters

    /// Creates a ticket.
    public init(address: PeerAddress, connection: ConnectionID, filters: RandomFilters) {
        self.address = address
        self.connection = connection
        self.filters = filters
    }

    /// Whether two requests may be paired: the same tenant (tenants never meet), languages
    /// equal where both name one, and — when both name tags — at least one tag in common
    /// (a client without tags accepts anyone who passes the other checks).
    public static func compatible(_ lhs: RandomFilters, _ rhs: RandomFilters) -> Bool {
        guard lhs.tenant == rhs.tenant else { return false }
        if let left = lhs.language, let right = rhs.language, left != right { return false }
        if !lhs.tags.isEmpty, !rhs.tags.isEmpty, !lhs.tags.contains(where: rhs.tags.contains) { return false }
        return true
    }
}
