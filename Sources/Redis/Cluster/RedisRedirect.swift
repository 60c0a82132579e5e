/// A cluster redirection error reply (cluster spec, "Redirection and resharding"):
/// `MOVED <slot> <host>:<port>` — the slot lives elsewhere for good, refresh the slot map; or
/// `ASK <slot> <host>:<port>` — for this one command only, send `ASKING` then the command to that
/// node.
public struct RedisRedirect: Hashable, Sendable {
    /// Which redirection.
    public enum Kind: Hashable, Sendable {
        /// The slot moved.
        case moved
        /// The slot is being migrated; ask the target this once.
        case ask
    }

    /// Which redirection.
    public var kind: Kind
    /// The slot.
    public var slot: Int
    /// The node's host (empty when the server does not know its own address: use the one the
    /// command went to).
    public var host: String
    /// The node's port.
    public var port: Int

    /// Reads an error message; nil if it is not a redirection.
    public init?(errorMessage: String) {
        let parts = errorMessage.split(separator: " ")
        guard parts.count == 3, let slot = Int(parts[1]), (0..<RedisClusterSlot.count).contains(slot),
            let colon = parts[2].lastIndex(of: ":"), let port = Int(parts[2][parts[2].index(after: colon)...]),
            (1...65_535).contains(port)
        else { return nil }
        switch parts[0] {
        case "MOVED": kind = .moved
        case "ASK": kind = .ask
        default: return nil
        }
        self.slot = slot
        var host = parts[2][..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        self.host = String(host)
        self.port = port
    }
}
