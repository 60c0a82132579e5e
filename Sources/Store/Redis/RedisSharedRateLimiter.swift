import PersonaRuntime
import Policies
import Redis
import Synchronization

/// The client limits every node shares (`persona serve --redis`), on the node's Redis
/// connection:
/// - the rate: ``RedisRateLimiter``'s GCRA script, one `EVAL`, atomic, on Redis's clock; keys
///   `persona:rl:<key>` expire when the bucket is full again;
/// - the daily count, when the rate allowed the message: one `EVAL` that adds the message to
///   `persona:quota:<day>` (the hash the session store's counts live in) unless it already
///   holds the maximum — so every node's messages are counted once, together.
///
/// What Redis cannot answer is let through (the hub's own limits still apply), counted in ``stats``.
public final class RedisSharedRateLimiter: SharedRateLimiterBackend {
    /// The connection it shares.
    public let store: RedisSessionStore
    private let statistics = Mutex(RedisSharedRateStatistics())

    /// KEYS[1] the day's hash; ARGV client, maximum, lifetime (ms). Returns the new count, or
    /// -1 when the maximum was already reached (nothing counted).
    static let quotaScript = """
        local count = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
        if count >= tonumber(ARGV[2]) then return -1 end
        count = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return count
        """

    /// Limits on `store`'s connection.
    public init(store: RedisSessionStore) {
        self.store = store
    }

    /// The rate, then (when allowed) the daily count.
    public func check(_ request: SharedLimitRequest, completion: @escaping @Sendable (SharedLimitVerdict) -> Void) {
        let prefix = store.keys.prefix + "rl:"
        let quotaKey = request.dailyQuota.map { store.keys.quota(day: $0.day) }
        store.withClient { [self] client in
            func count(_ rate: RateLimitDecision?) {
                guard let quota = request.dailyQuota, let quotaKey else {
                    return completion(SharedLimitVerdict(rate: rate))
                }
                let lifetime = String(RedisSessionCodec.quotaLifetimeMilliseconds)
                client.send(["EVAL", Self.quotaScript, "1", quotaKey, quota.client, String(quota.maximum), lifetime]) {
                    result in
                    let reached = (try? result.get())?.int == -1
                    self.statistics.withLock {
                        if reached { $0.quotaReached += 1 }
                        if case .failure = result { $0.undecided += 1 }
                    }
                    completion(SharedLimitVerdict(rate: rate, dailyQuotaReached: reached))
                }
            }
            guard let rate = request.rate else { return count(nil) }
            RedisRateLimiter(client: client, keyPrefix: prefix).check(key: rate.key, rate: rate.rate, burst: rate.burst) {
                result in
                let decision = try? result.get()
                self.statistics.withLock {
                    switch decision {
                    case .allowed?: $0.allowed += 1
                    case .limited?, .exceedsBurst?: $0.limited += 1
                    case nil: $0.undecided += 1
                    }
                }
                switch decision {
                case .limited?, .exceedsBurst?: completion(SharedLimitVerdict(rate: decision))
                case .allowed?, nil: count(decision)
                }
            }
        }
    }

    /// Decisions so far.
    public var stats: RedisSharedRateStatistics { statistics.withLock { $0 } }
}

/// What the shared limits decided, for `/metrics`.
public struct RedisSharedRateStatistics: Sendable, Hashable {
    /// Messages the shared rate let through.
    public var allowed = 0
    /// Messages it refused.
    public var limited = 0
    /// Messages refused because the shared daily count was full.
    public var quotaReached = 0
    /// Checks Redis could not answer (let through on the node's own limits).
    public var undecided = 0
}
