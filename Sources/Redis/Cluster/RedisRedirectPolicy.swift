/// What the cluster client does with a reply from the node a command went to (cluster spec,
/// "Redirection and resharding"). Pure, so every case is a row of a table test; the client only
/// carries the decision out.
public enum RedisRedirectPolicy {
    /// The decision for one reply.
    public enum Decision: Hashable, Sendable {
        /// Hand the reply (or error) to the caller.
        case deliver
        /// `MOVED`: the slot lives on `node` now — patch the map, refresh the topology in the
        /// background, send the command to `node`.
        case moved(slot: Int, node: RedisClusterNode)
        /// `ASK`: the slot is migrating — send `ASKING` and the command to `node`, this once;
        /// the map does not change.
        case ask(node: RedisClusterNode)
        /// `TRYAGAIN`: a multi-key command met a slot half migrated (some of its keys moved,
        /// some not) — send it again to the same node shortly; counted as a redirect.
        case tryAgain
        /// One redirect more than the limit: fail with ``RedisError/tooManyRedirects(limit:last:)``.
        case giveUp(limit: Int, last: String)
    }

    /// Decides for `error` (nil: a reply that is not an error), met by a command that was sent
    /// to `sentTo` after `redirects` earlier redirects, with at most `limit` redirects allowed.
    /// A redirect naming no host (`MOVED 3999 :6381`) means the host the command went to.
    public static func decide(error: String?, sentTo: RedisClusterNode, redirects: Int, limit: Int)
        -> Decision
    {
        guard let error else { return .deliver }
        let retry = error.hasPrefix("TRYAGAIN")
        let redirect = RedisRedirect(errorMessage: error)
        guard retry || redirect != nil else { return .deliver }
        guard redirects < limit else { return .giveUp(limit: limit, last: error) }
        guard let redirect else { return .tryAgain }
        let node = RedisClusterNode(
            host: redirect.host.isEmpty ? sentTo.host : redirect.host, port: redirect.port)
        switch redirect.kind {
        case .moved: return .moved(slot: redirect.slot, node: node)
        case .ask: return .ask(node: node)
        }
    }
}
