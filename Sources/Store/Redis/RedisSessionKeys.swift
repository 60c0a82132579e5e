/// Where the Redis session store keeps things (README → "Several nodes (Redis)").
///
/// A session's two keys carry its id as a hash tag (`{s0-7-12}`), so they always share one
/// cluster slot and a `MULTI` touching both stays valid on a Redis Cluster.
public struct RedisSessionKeys: Sendable, Hashable {
    /// Prefix of every key. Default `persona:`.
    public var prefix: String

    /// Keys under `prefix`.
    public init(prefix: String = "persona:") {
        self.prefix = prefix
    }

    /// `persona:{<id>}:session`: a hash with the header, the end and the engine state.
    public func session(_ id: String) -> String { "\(prefix){\(id)}:session" }

    /// `persona:{<id>}:turns`: a stream, one entry per turn, trimmed by the retention.
    public func turns(_ id: String) -> String { "\(prefix){\(id)}:turns" }

    /// `persona:client:{<client>}:sessions`: a set of the client's session ids (for `forget`).
    public func clientSessions(_ client: String) -> String { "\(prefix)client:{\(client)}:sessions" }

    /// `persona:quota:<day>`: a hash client → messages on that UTC day (expires after two days).
    public func quota(day: Int64) -> String { "\(prefix)quota:\(day)" }

    /// `persona:boots`: a counter every node increments at start; it goes into session ids so
    /// two nodes (or two starts of one node) never hand out the same id.
    public var boots: String { "\(prefix)boots" }
}
