/// A response cache several nodes share (Redis), as one hub sees it: called on the hub's
/// thread, never blocking it. ``lookup(_:ticket:)`` answers later through
/// ``ChatHub/sharedCacheAnswered(_:_:)`` with the ticket.
///
/// The hub asks it only after its own cache missed, for personalities whose `cache:` mode is
/// `exact`, and files a reply in it when its own cache accepted the reply (same policy: the
/// TTL and the rules on random or state-changing replies). Keys are ``ChatHub/sharedCacheKey(_:stateDigest:)``:
/// text that is the same on every node for the same personality version, scope, input and state.
public protocol SharedReplyCache: AnyObject {
    /// Looks `key` up; the answer (the tokens, or nil on a miss or a failure) comes through the hub.
    func lookup(_ key: String, ticket: StoreTicket)
    /// Files `tokens` under `key` for `ttl` (fire and forget).
    func store(_ key: String, tokens: [String], ttl: Duration)
}

/// The process-wide half of a shared cache, safe to call from any thread; the server adapts it
/// to each hub's ``SharedReplyCache`` by delivering answers on the hub's loop.
public protocol SharedReplyCacheBackend: AnyObject, Sendable {
    /// Looks `key` up; `completion` (any thread) gets the tokens, or nil on a miss or a failure:
    /// a cache that cannot answer is a miss, never an error for the client.
    func lookup(_ key: String, completion: @escaping @Sendable ([String]?) -> Void)
    /// Files `tokens` under `key` for `ttl`.
    func store(_ key: String, tokens: [String], ttl: Duration)
}
