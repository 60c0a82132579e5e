/// A GCRA rate limiter per key (client id, IP, session id, personality id, or any tuple).
///
/// A value type meant to live inside one event loop: `decide` is synchronous, allocation-free
/// for known keys, and O(1) amortised. Memory is bounded two ways:
/// - a key whose state equals a full bucket (TAT ≤ now) carries no information and is dropped
///   by ``sweep(now:)`` (call it from a timer, e.g. once a second) and by the bound below;
/// - at most ``RateLimitConfiguration/maxKeys`` keys are kept. Eviction policy when a new key
///   arrives at the bound: first drop every idle key; if that frees less than 1/16 of the
///   table, drop the keys with the *smallest* TAT (those closest to a full bucket, so the
///   eviction forgives the least debt) until 1/16 is free. Evicting in batches keeps the
///   O(n log n) selection amortised to O(log n) per new key even under a key-spraying flood.
///   The trade-off: under such a flood a barely-used key can be forgotten and get a fresh
///   burst; a heavily limited key (large TAT) is the last to go.
public struct KeyedRateLimiter<Key: Hashable & Sendable>: Sendable {
    /// The settings this limiter enforces.
    public let configuration: RateLimitConfiguration
    /// The algorithm derived from the configuration.
    public let algorithm: GCRA
    private var tats: [Key: Int128] = [:]

    /// Keys dropped because they had become idle.
    public private(set) var idleKeysDropped = 0
    /// Keys dropped by the `maxKeys` bound while they still carried state.
    public private(set) var keysEvicted = 0

    /// Creates an empty limiter.
    public init(configuration: RateLimitConfiguration = RateLimitConfiguration()) {
        self.configuration = configuration
        self.algorithm = GCRA(rate: configuration.rate, burst: configuration.burst)
    }

    /// How many keys currently hold state.
    public var count: Int { tats.count }

    /// Decides an event of `cost` (default 1; 0 only asks) for `key` at `now`.
    public mutating func decide(key: Key, now: PolicyInstant, cost: Int = 1) -> RateLimitDecision {
        if let index = tats.index(forKey: key) {
            var tat: Int128? = tats.values[index]
            let decision = algorithm.decide(tat: &tat, now: now, cost: cost)
            tats.values[index] = tat!
            return decision
        }
        var tat: Int128? = nil
        let decision = algorithm.decide(tat: &tat, now: now, cost: cost)
        if let tat {
            if tats.count >= max(1, configuration.maxKeys) { makeRoom(now: now) }
            tats[key] = tat
        }
        return decision
    }

    /// Drops every key whose bucket is full again; returns how many were dropped.
    @discardableResult
    public mutating func sweep(now: PolicyInstant) -> Int {
        let before = tats.count
        let nowScaled = algorithm.scaled(now)
        tats = tats.filter { $0.value > nowScaled }
        let dropped = before - tats.count
        idleKeysDropped += dropped
        return dropped
    }

    /// Forgets `key` (e.g. when its session ends).
    public mutating func remove(key: Key) {
        tats[key] = nil
    }

    private mutating func makeRoom(now: PolicyInstant) {
        let bound = max(1, configuration.maxKeys)
        let target = max(1, bound / 16)
        sweep(now: now)
        let free = bound - tats.count
        guard free < target else { return }
        let excess = target - free
        let victims = tats.sorted { $0.value < $1.value }.prefix(excess)
        for victim in victims { tats[victim.key] = nil }
        keysEvicted += victims.count
    }
}
