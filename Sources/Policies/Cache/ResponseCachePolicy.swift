/// A personality's cache settings (`cache:` in its YAML).
public struct ResponseCachePolicy: Hashable, Sendable {
    /// Whether replies are cached.
    public enum Mode: String, Hashable, Sendable, CaseIterable {
        /// Never look up or store.
        case off
        /// Reuse a reply for an exactly matching key (see ``ResponseCacheKey``).
        case exact
    }

    /// Default `.off`: caching must be a decision the author makes.
    public var mode: Mode
    /// How long a stored reply may be served. Default 10 minutes.
    public var ttl: Duration
    /// Largest entry (key + tokens, as counted by the cache) stored. Default 16 KiB.
    public var maxEntryBytes: Int
    /// The author declares that replies drawn at random are fine to repeat. Default false.
    public var randomRepliesAreCacheSafe: Bool
    /// The author declares that replies which set session variables are fine to replay
    /// (the caller then must re-apply the changes itself). Default false.
    public var stateChangingRepliesAreCacheSafe: Bool

    /// Creates a policy; defaults as documented on each property.
    public init(
        mode: Mode = .off, ttl: Duration = .seconds(600), maxEntryBytes: Int = 16_384,
        randomRepliesAreCacheSafe: Bool = false, stateChangingRepliesAreCacheSafe: Bool = false
    ) {
        self.mode = mode
        self.ttl = ttl
        self.maxEntryBytes = maxEntryBytes
        self.randomRepliesAreCacheSafe = randomRepliesAreCacheSafe
        self.stateChangingRepliesAreCacheSafe = stateChangingRepliesAreCacheSafe
    }
}
