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
    public init(rate: Rate = Rate(count: 20, per: .seconds(1))!, burst: Int = 40,
                maxPeers: Int = 65_536, ipv6PrefixLength: Int = 64) {
        self.rate = rate
        self.burst = burst
        self.maxPeers = maxPeers
        self.ipv6PrefixLength = ipv6PrefixLength
    }
}

/// Limits how fast each peer address may open connections, decided at `accept` time before
/// any byte is read, so a refused connection costs one `close`.
public struct ConnectionRateLimiter: Sendable {
    /// The settings in force.
    public let configuration: ConnectionRateLimitConfiguration
    private var limiter: KeyedRateLimiter<ConnectionKey>

    /// Creates an empty limiter.
    public init(configuration: ConnectionRateLimitConfiguration = ConnectionRateLimitConfiguration()) {
        self.configuration = configuration
        limiter = KeyedRateLimiter(configuration: RateLimitConfiguration(
            rate: configuration.rate, burst: configuration.burst, maxKeys: configuration.maxPeers))
    }

    /// Peers currently tracked.
    public var count: Int { limiter.count }

    /// Decides whether an IPv4 peer may connect now.
    public mutating func admit(ipv4: UInt32, now: PolicyInstant) -> RateLimitDecision {
        limiter.decide(key: ConnectionKey(ipv4: ipv4), now: now)
    }

    /// Decides whether an IPv6 peer (16 bytes, network order) may connect now; the address is
    /// truncated to ``ConnectionRateLimitConfiguration/ipv6PrefixLength``. A malformed
    /// address is keyed as all-zero rather than let through.
    public mutating func admit(ipv6 bytes: some Collection<UInt8>, now: PolicyInstant) -> RateLimitDecision {
        let key = ConnectionKey(ipv6Bytes: bytes, prefixLength: configuration.ipv6PrefixLength)
            ?? ConnectionKey(ipv6High: 0, low: 0)
        return limiter.decide(key: key, now: now)
    }

    /// Drops idle peers; call from a timer.
    @discardableResult
    public mutating func sweep(now: PolicyInstant) -> Int { limiter.sweep(now: now) }
}
