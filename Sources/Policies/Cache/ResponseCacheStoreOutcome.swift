/// The result of offering a reply to the cache.
public enum ResponseCacheStoreOutcome: Hashable, Sendable {
    /// The reply is stored.
    case stored
    /// The personality's cache mode is off.
    case refusedCachingOff
    /// The reply used randomness and the personality did not declare that cache-safe.
    case refusedRandom
    /// The reply changed session state and the personality did not declare that cache-safe.
    case refusedStateChange
    /// The entry exceeds the personality's `maxEntryBytes` or the cache's `maxBytes`.
    case refusedTooLarge
}
