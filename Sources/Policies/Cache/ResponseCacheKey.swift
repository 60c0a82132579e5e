/// What a cached reply is filed under.
///
/// Two requests share a reply only if all five parts match: the personality, its version (a
/// reload bumps it, so stale replies can never match), the tenant/client scope (tenants never
/// see each other's entries), the scrubbed input after ``normalize(_:)``, and a digest of the
/// session state the reply depended on (variables the script read, the previous bot line for
/// `%previous`-style rules, ...), computed by the caller.
public struct ResponseCacheKey: Hashable, Sendable {
    /// Personality id.
    public let personality: String
    /// Personality version (content hash or registry generation).
    public let version: String
    /// Tenant or client scope; use one shared scope only if replies are truly public.
    public let scope: String
    /// The normalised, already-scrubbed input.
    public let input: String
    /// Digest of the session state the reply depended on; 0 when it depended on none.
    public let stateDigest: UInt64

    /// Creates a key, normalising `input` with ``normalize(_:)``. Pass scrubbed input:
    /// the cache must never hold raw PII.
    public init(personality: String, version: String, scope: String, input: String, stateDigest: UInt64 = 0) {
        self.personality = personality
        self.version = version
        self.scope = scope
        self.input = ResponseCacheKey.normalize(input)
        self.stateDigest = stateDigest
    }

    /// Bytes this key occupies, counted as the UTF-8 of its strings plus the digest.
    var byteCount: Int {
        personality.utf8.count + version.utf8.count + scope.utf8.count + input.utf8.count + 8
    }
}
