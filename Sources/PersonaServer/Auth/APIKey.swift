import PersonaRuntime

/// One API key as the server keeps it: who it belongs to and what it may do, and only the
/// SHA-256 digest of its secret (the secret itself is shown once, by `persona keys create`).
///
/// A key's text is `pk_<id>_<secret>`: `id` (12 hex digits) finds the record, the digest of the
/// whole text is compared in constant time. Hex only, so the text is a valid
/// `Sec-WebSocket-Protocol` token and needs no escaping anywhere.
public struct APIKey: Sendable, Hashable {
    /// The public id (`persona keys list`, `revoke`, logs and quotas name the key by it).
    public var id: String
    /// The tenant its sessions belong to: routing candidates, matchmaking, the cache and resume
    /// are scoped to it.
    public var tenant: String
    /// The tier that selects `limits.yaml` rules; `nil` = the rules without a tier.
    public var tier: String?
    /// Personalities it may talk to; empty = all.
    public var personalities: [String]
    /// Browser origins allowed to use it (WebSocket upgrades and CORS); empty = any origin the
    /// server's own policy allows.
    public var origins: [String]
    /// Unix seconds after which it is refused; `nil` = never.
    public var expiresAt: Int64?
    /// Unix seconds when it was created.
    public var createdAt: Int64
    /// Lowercase hex SHA-256 of the key's full text.
    public var secretDigest: String
    /// Revoked keys stay listed (so an id is never reused) but are refused.
    public var revoked: Bool

    /// Creates a key record.
    public init(
        id: String, tenant: String, tier: String? = nil, personalities: [String] = [], origins: [String] = [],
        expiresAt: Int64? = nil, createdAt: Int64, secretDigest: String, revoked: Bool = false
    ) {
        self.id = id
        self.tenant = tenant
        self.tier = tier
        self.personalities = personalities
        self.origins = origins
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.secretDigest = secretDigest
        self.revoked = revoked
    }

    /// Whether the key may be used at `now` (unix seconds).
    public func isUsable(at now: Int64) -> Bool {
        guard !revoked else { return false }
        if let expiresAt, now >= expiresAt { return false }
        return true
    }

    /// Whether a browser page at `origin` may use the key (no `Origin` header: not a browser).
    public func allows(origin: String?) -> Bool {
        guard !origins.isEmpty, let origin else { return true }
        return origins.contains(origin)
    }

    /// The hub's view of a client using this key: quotas count per key (`key:<id>`, persisted
    /// with the store's daily counts), the tier picks limits, the tenant scopes sessions.
    public var clientIdentity: ClientIdentity {
        ClientIdentity(
            key: "key:" + id, tier: tier, tenant: tenant,
            personalities: personalities.isEmpty ? nil : Set(personalities))
    }
}
