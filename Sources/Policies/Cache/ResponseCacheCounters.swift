/// What a ``ResponseCache`` has done, for `/metrics`.
public struct ResponseCacheCounters: Hashable, Sendable {
    /// Lookups that returned a reply.
    public var hits = 0
    /// Lookups that found nothing usable (absent or expired).
    public var misses = 0
    /// Replies stored.
    public var stores = 0
    /// Store refused: the personality's mode is `off`.
    public var refusedCachingOff = 0
    /// Store refused: the reply used randomness and the personality did not declare it safe.
    public var refusedRandom = 0
    /// Store refused: the reply changed session state and the personality did not declare it safe.
    public var refusedStateChange = 0
    /// Store refused: the entry was larger than the personality's or the cache's byte bound.
    public var refusedTooLarge = 0
    /// Entries removed because their TTL had passed.
    public var evictedExpired = 0
    /// Entries removed (least recently used first) to respect `maxEntries`.
    public var evictedCount = 0
    /// Entries removed (least recently used first) to respect `maxBytes`.
    public var evictedBytes = 0
    /// Entries removed by ``ResponseCache/invalidate(personality:)``.
    public var evictedInvalidated = 0

    /// All refusals.
    public var storesRefused: Int { refusedCachingOff + refusedRandom + refusedStateChange + refusedTooLarge }
}
