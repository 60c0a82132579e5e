import Personality

/// What an engine learns about a session when it starts.
public struct EngineSessionContext: Hashable, Sendable {
    /// The session's id (shown to templates as `{id}`).
    public var sessionID: String
    /// The seed of the session's random generator, so replies are reproducible in tests.
    public var seed: UInt64
    /// The client the session belongs to (API key or address), for per-client budgets.
    public var client: String
    /// The client's tenant, if any.
    public var tenant: String?
    /// The limits in force for the session (`max_reply_tokens`, `daily_tokens_per_client`).
    public var limits: LimitValues
    /// The upstreams of the snapshot the session started on.
    public var upstreams: UpstreamsConfiguration

    /// Creates a context.
    public init(
        sessionID: String, seed: UInt64, client: String = "", tenant: String? = nil,
        limits: LimitValues = LimitValues(), upstreams: UpstreamsConfiguration = .none
    ) {
        self.sessionID = sessionID
        self.seed = seed
        self.client = client
        self.tenant = tenant
        self.limits = limits
        self.upstreams = upstreams
    }
}
