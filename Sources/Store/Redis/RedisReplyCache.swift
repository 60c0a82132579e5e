import JSON
import PersonaRuntime
import Redis
import Synchronization

/// The response cache every node shares (`persona serve --redis`): a reply one node produced
/// is streamed by another for the same personality version, scope, input and state.
///
/// One key per entry, `persona:cache:<key>` (the key is already a SHA-256 in hex), holding the
/// reply's tokens as a JSON array, set with `PX` = the personality's cache TTL. Bounded per
/// entry by ``maxEntryBytes``; the total is bounded by the TTLs and by Redis's own `maxmemory`
/// policy (an evicted entry is a miss). Every failure — Redis down, a malformed value — is a
/// miss: the engine answers, and the client never sees the cache.
public final class RedisReplyCache: SharedReplyCacheBackend {
    /// The connection it shares.
    public let store: RedisSessionStore
    /// Largest entry stored, in bytes of its JSON (`max_shared_entry_bytes`); a larger reply
    /// is not shared. Default 65,536.
    public let maxEntryBytes: Int
    private let statistics = Mutex(RedisReplyCacheStatistics())

    /// A cache on `store`'s connection.
    public init(store: RedisSessionStore, maxEntryBytes: Int = 65_536) {
        self.store = store
        self.maxEntryBytes = maxEntryBytes
    }

    /// The Redis key of a shared-cache key.
    public func redisKey(_ key: String) -> String { store.keys.prefix + "cache:" + key }

    /// `GET`; a miss on any failure.
    public func lookup(_ key: String, completion: @escaping @Sendable ([String]?) -> Void) {
        store.send(["GET", redisKey(key)]) { [self] result in
            let tokens = try? result.get().string.flatMap(Self.decode)
            statistics.withLock { tokens == nil ? ($0.misses += 1) : ($0.hits += 1) }
            completion(tokens)
        }
    }

    /// `SET … PX ttl`, unless the entry is over ``maxEntryBytes``.
    public func store(_ key: String, tokens: [String], ttl: Duration) {
        let value = JSONValue.array(tokens.map(JSONValue.string)).serialized()
        guard value.utf8.count <= maxEntryBytes else {
            statistics.withLock { $0.tooLarge += 1 }
            return
        }
        let milliseconds = max(1, ttl.components.seconds * 1_000 + ttl.components.attoseconds / 1_000_000_000_000_000)
        store.send(["SET", redisKey(key), value, "PX", String(milliseconds)]) { [self] result in
            statistics.withLock {
                if case .success = result { $0.stores += 1 } else { $0.failures += 1 }
            }
        }
    }

    /// Hits, misses and stores so far.
    public var stats: RedisReplyCacheStatistics { statistics.withLock { $0 } }

    static func decode(_ text: String) -> [String]? {
        guard let items = (try? JSONParser().parse(text))?.arrayValue else { return nil }
        let tokens = items.compactMap(\.stringValue)
        return tokens.count == items.count && !tokens.isEmpty ? tokens : nil
    }
}

/// What the shared response cache has done, for `/metrics`.
public struct RedisReplyCacheStatistics: Sendable, Hashable {
    /// Lookups answered with a reply.
    public var hits = 0
    /// Lookups that found nothing (or could not ask).
    public var misses = 0
    /// Replies filed.
    public var stores = 0
    /// Replies not filed because they were over the entry bound.
    public var tooLarge = 0
    /// Replies Redis did not take.
    public var failures = 0
}
