/// A connection, as the shell numbers them. The hub never invents one: the shell allocates ids
/// (unique within a hub for the hub's lifetime) and passes them in every event.
public struct ConnectionID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The number.
    public var value: UInt64

    /// Creates an id.
    public init(_ value: UInt64) {
        self.value = value
    }

    /// `c<value>`, as `welcome` shows it.
    public var description: String { "c\(value)" }

    /// Orders by number.
    public static func < (lhs: ConnectionID, rhs: ConnectionID) -> Bool { lhs.value < rhs.value }
}
