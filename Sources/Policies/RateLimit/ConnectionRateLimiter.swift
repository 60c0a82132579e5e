/// Limits how fast each peer address may open connections, decided at `accept` time before
/// any byte is read, so a refused connection costs one `close`.
public struct ConnectionRateLimiter: Sendable {
    /// The settings in force.
    public let configuration: ConnectionRateLimitConfiguration
    private var limiter: KeyedRateLimiter<ConnectionKey>

    /// Creates an empty limiter.
    public init(configuration: ConnectionRateLimitConfiguration = ConnectionRateLimitConfiguration()) {
        self.configuration = configuration
        limiter = KeyedRateLimiter(
            configuration: RateLimitConfiguration(
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
        let key =
            ConnectionKey(ipv6Bytes: bytes, prefixLength: configuration.ipv6PrefixLength)
            ?? ConnectionKey(ipv6High: 0, low: 0)
        return limiter.decide(key: key, now: now)
    }

    /// Drops idle peers; call from a timer.
    @discardableResult
    public mutating func sweep(now: PolicyInstant) -> Int { limiter.sweep(now: now) }
}
