/// Who is on the other end of a connection, as far as limits care: the key per-client limits
/// count against (an API key, or the peer IP when there is none), the tier that selects
/// `limits.yaml` rules, and the tenant that scopes routing and the cache.
public struct ClientIdentity: Hashable, Sendable {
    /// The rate-limit and quota key.
    public var key: String
    /// The client tier (`free`, `premium`), if known.
    public var tier: String?
    /// The tenant, if known. Sessions of one tenant are invisible to every other: a resume
    /// from another tenant is answered `unknown_session`.
    public var tenant: String?
    /// The personalities this client may talk to (an API key's allow-list); `nil` = all.
    /// Others are answered `unknown_personality`, as if they did not exist.
    public var personalities: Set<String>?

    /// Creates an identity.
    public init(key: String, tier: String? = nil, tenant: String? = nil, personalities: Set<String>? = nil) {
        self.key = key
        self.personalities = personalities
        self.tier = tier
        self.tenant = tenant
    }

    /// Whether this client may start a session with personality `id`.
    public func mayUse(_ id: String) -> Bool {
        personalities?.contains(id) ?? true
    }
}
