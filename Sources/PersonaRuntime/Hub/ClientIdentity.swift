/// Who is on the other end of a connection, as far as limits care: the key per-client limits
/// count against (an API key, or the peer IP when there is none), the tier that selects
/// `limits.yaml` rules, and the tenant that scopes routing and the cache.
public struct ClientIdentity: Hashable, Sendable {
    /// The rate-limit and quota key.
    public var key: String
    /// The client tier (`free`, `premium`), if known.
    public var tier: String?
    /// The tenant, if known.
    public var tenant: String?

    /// Creates an identity.
    public init(key: String, tier: String? = nil, tenant: String? = nil) {
        self.key = key
        self.tier = tier
        self.tenant = tenant
    }
}
