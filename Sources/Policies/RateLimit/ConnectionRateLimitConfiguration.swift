/// Settings for a ``ConnectionRateLimiter``.
public struct ConnectionRateLimitConfiguration: Hashable, Sendable {
    /// New connections per peer. Default `20/s`.
    public var rate: Rate
    /// Connections a peer may open back to back. Default 40 (a browser opening a page plus
    /// a reconnect storm).
    public var burst: Int
    /// Most peers tracked. Default 65,536; eviction as in ``KeyedRateLimiter``.
    public var maxPeers: Int
    /// IPv6 peers are counted per prefix of this many bits. Default 64.
    public var ipv6PrefixLength: Int

    /// Creates a configuration; defaults as documented on each property.
    public init(
        rate: Rate = Rate(count: 20, per: .seconds(1))!, burst: Int = 40,
        maxPeers: Int = 65_536, ipv6PrefixLength: Int = 64
    ) {
        self.rate = rate
        self.burst = burst
        self.maxPeers = maxPeers
        self.ipv6PrefixLength = ipv6PrefixLength
    }
}
