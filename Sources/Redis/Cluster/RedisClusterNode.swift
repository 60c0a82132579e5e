/// One node of a Redis Cluster, by the address clients reach it at (`host:port`).
public struct RedisClusterNode: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Host name or IP literal.
    public var host: String
    /// TCP port.
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// The node a configuration names.
    public init(_ configuration: RedisConfiguration) {
        self.init(host: configuration.host, port: configuration.port)
    }

    /// `host:port`.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Orders by host, then port (a stable order for logs and rotation).
    public static func < (lhs: RedisClusterNode, rhs: RedisClusterNode) -> Bool {
        (lhs.host, lhs.port) < (rhs.host, rhs.port)
    }

    /// `seed` pointed at this node: same credentials, TLS and timeouts, other host and port.
    public func configuration(from seed: RedisConfiguration) -> RedisConfiguration {
        var configuration = seed
        configuration.host = host
        configuration.port = port
        return configuration
    }
}
