import PersonaRuntime
import Policies
import Redis
import Synchronization

/// The limits every node shares (`persona serve --redis`), on the node's Redis connection:
/// - the client's rate: ``RedisRateLimiter``'s GCRA script, one `EVAL`, atomic, on Redis's
///   clock; keys `persona:rl:client:…` expire when the bucket is full again;
/// - a bot session's `personality_rate`, when its personality sets one: the same script on
///   `persona:rl:personality:<id>:…`, one more `EVAL` after the client's rate allowed the
///   message (the two keys hash to different cluster slots, so they cannot share one script);
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

    /// The client's rate, then (when allowed) the personality's, then the daily count: one
    /// `EVAL` per limit the message has, in that order, each only when the one before allowed
    /// it — so a client refused by its own rate never spends the personality's budget, and a
    /// message refused by either is not counted for the day.
    public func check(
        _ request: SharedLimitRequest, completion: @escaping @Sendable (SharedLimitVerdict) -> Void
    ) {
        let prefix = store.keys.prefix + "rl:"
        let quotaKey = request.dailyQuota.map { store.keys.quota(day: $0.day) }
        store.withClient { [self] client in
            let limiter = RedisRateLimiter(client: client, keyPrefix: prefix)
            func count(_ verdict: SharedLimitVerdict) {
                guard let quota = request.dailyQuota, let quotaKey else { return completion(verdict) }
                let lifetime = String(RedisSessionCodec.quotaLifetimeMilliseconds)
                client.send([
                    "EVAL", Self.quotaScript, "1", quotaKey, quota.client, String(quota.maximum), lifetime,
                ]) {
                    result in
                    let reached = (try? result.get())?.int == -1
                    self.statistics.withLock {
                        if reached { $0.quotaReached += 1 }
                        if case .failure = result { $0.undecided += 1 }
                    }
                    var verdict = verdict
                    verdict.dailyQuotaReached = reached
                    completion(verdict)
                }
            }
            /// Spends one message of `rate`: refused → the verdict now; allowed or undecided → `next`.
            func spend(
                _ rate: SharedClientRate?, personality: Bool, _ verdict: SharedLimitVerdict,
                next: @escaping (SharedLimitVerdict) -> Void
            ) {
                guard let rate else { return next(verdict) }
                limiter.check(key: rate.key, rate: rate.rate, burst: rate.burst) { result in
                    let decision = try? result.get()
                    self.statistics.withLock {
                        switch decision {
                        case .allowed?: if personality { $0.personalityAllowed += 1 } else { $0.allowed += 1 }
                        case .limited?, .exceedsBurst?:
                            if personality { $0.personalityLimited += 1 } else { $0.limited += 1 }
                        case nil: $0.undecided += 1
                        }
                    }
                    var verdict = verdict
                    if personality { verdict.personalityRate = decision } else { verdict.rate = decision }
                    switch decision {
                    case .limited?, .exceedsBurst?: completion(verdict)
                    case .allowed?, nil: next(verdict)
                    }
                }
            }
            spend(request.rate, personality: false, SharedLimitVerdict()) { verdict in
                spend(request.personality, personality: true, verdict, next: count)
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
    /// Messages the shared personality rate let through.
    public var personalityAllowed = 0
    /// Messages the shared personality rate refused.
    public var personalityLimited = 0
    /// Messages refused because the shared daily count was full.
    public var quotaReached = 0
    /// Checks Redis could not answer (let through on the node's own limits).
    public var undecided = 0
}
