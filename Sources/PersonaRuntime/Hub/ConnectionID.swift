/// A connection, as the shell numbers them. The hub never invents one: the shell allocates ids
/// and passes them in every event. Ids are unique across every hub of the process for its
/// lifetime (see ``numbered(_:hub:of:)``), so `welcome.connection` and the logs never show
/// two live connections under one name.
public struct ConnectionID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The number.
    public var value: UInt64

    /// Creates an id.
    public init(_ value: UInt64) {
        self.value = value
    }

    /// The `n`th connection (from 0) of hub `hub` among `hubs`: the numbers interleave
    /// (hub 0 of 2 gets c1, c3, c5…, hub 1 gets c2, c4…), so hubs allocate without sharing
    /// a counter and never collide.
    public static func numbered(_ n: UInt64, hub: Int, of hubs: Int) -> ConnectionID {
        ConnectionID(n * UInt64(max(1, hubs)) + UInt64(hub) + 1)
    }

    /// `c<value>`, as `welcome` shows it.
    public var description: String { "c\(value)" }

    /// Orders by number.
    public static func < (lhs: ConnectionID, rhs: ConnectionID) -> Bool { lhs.value < rhs.value }
}
