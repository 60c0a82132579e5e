/// Whether and how a personality's replies may be served from the response cache.
public struct CacheSettings: Hashable, Sendable {
    /// `off` never caches; `exact` caches replies to the same normalised input.
    public enum Mode: String, Hashable, Sendable, CaseIterable {
        case off
        case exact
    }

    /// The mode; `off` by default, because only the author knows a reply is repeatable.
    public var mode: Mode
    /// How long an entry lives (default 10 minutes).
    public var ttl: Duration
    /// Cache replies even when they used randomness or changed session variables. Only for
    /// personalities whose author knows that is harmless.
    public var cacheUnsafeReplies: Bool

    /// Creates settings.
    public init(mode: Mode = .off, ttl: Duration = .seconds(600), cacheUnsafeReplies: Bool = false) {
        self.mode = mode
        self.ttl = ttl
        self.cacheUnsafeReplies = cacheUnsafeReplies
    }
}
