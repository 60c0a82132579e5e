import PersonaRuntime
import Policies
import Redis
import Synchronization

/// The client rate limit every node shares (`persona serve --redis`): ``RedisRateLimiter``'s
/// GCRA script on the node's Redis connection, one `EVAL` round trip per message, atomic, on
/// Redis's clock. Keys are `persona:rl:<key>` and expire when the bucket is full again. Redis
/// down: no decision (the hub's own limiters still apply), counted in ``stats``.
public final class RedisSharedRateLimiter: SharedRateLimiterBackend {
    /// The connection it shares.
    public let store: RedisSessionStore
    private let statistics = Mutex(RedisSharedRateStatistics())

    /// A limiter on `store`'s connection.
    public init(store: RedisSessionStore) {
        self.store = store
    }

    /// One GCRA check of `key`.
    public func check(
        key: String, rate: Rate, burst: Int, completion: @escaping @Sendable (RateLimitDecision?) -> Void
    ) {
        let prefix = store.keys.prefix + "rl:"
        store.withClient { [self] client in
            RedisRateLimiter(client: client, keyPrefix: prefix).check(key: key, rate: rate, burst: burst) { result in
                let decision = try? result.get()
                self.statistics.withLock {
                    switch decision {
                    case .allowed?: $0.allowed += 1
                    case .limited?, .exceedsBurst?: $0.limited += 1
                    case nil: $0.undecided += 1
                    }
                }
                completion(decision)
            }
        }
    }

    /// Decisions so far.
    public var stats: RedisSharedRateStatistics { statistics.withLock { $0 } }
}

/// What the shared rate limiter decided, for `/metrics`.
public struct RedisSharedRateStatistics: Sendable, Hashable {
    /// Messages the shared limit let through.
    public var allowed = 0
    /// Messages it refused.
    public var limited = 0
    /// Checks Redis could not answer (let through on the node's own limits).
    public var undecided = 0
}
