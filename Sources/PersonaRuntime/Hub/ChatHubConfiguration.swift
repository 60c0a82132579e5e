import ChatProtocol
import Personality
import Policies

/// The hub's own limits and policies (the per-personality ones come from `limits.yaml`).
/// Every value has a name and a documented default.
public struct ChatHubConfiguration: Sendable {
    /// This hub's index among the process's hubs; it prefixes session ids (`s<hub>-<n>`) so the
    /// shell can route a session id to its hub. Default 0.
    public var hubIndex: Int
    /// How often clients should ping, announced in `welcome` (`heartbeat_interval`). Default 30 s.
    public var heartbeatInterval: Duration
    /// Sessions one connection may hold at once (`max_sessions_per_connection`). Default 16.
    public var maxSessionsPerConnection: Int
    /// Messages queued behind a streaming reply per session (`max_queued_messages`); one more is
    /// refused with `busy`. Default 4.
    public var maxQueuedMessages: Int
    /// Ended sessions per connection remembered for `next` (`max_remembered_sessions`); the
    /// oldest is forgotten first. Default 8.
    public var maxRememberedSessions: Int
    /// How long an ended session stays remembered for `next` and for the `session_not_active`
    /// answer (`remembered_session_age`); after that it is forgotten (`unknown_session`).
    /// Default 10 minutes.
    public var rememberedSessionAge: Duration
    /// The client frame decoder's limits.
    public var decoder: ClientMessageDecoder.Configuration
    /// Outbound backlog (bytes queued by the shell for one connection) above which pacing for
    /// that connection pauses (`pause_backlog_bytes`). Default 256 KiB.
    public var pauseBacklogBytes: Int
    /// Backlog at or below which a paused connection resumes (`resume_backlog_bytes`). Default 64 KiB.
    public var resumeBacklogBytes: Int
    /// Backlog above which the connection is closed with 1008 (`max_backlog_bytes`). Default 4 MiB.
    public var maxBacklogBytes: Int
    /// Limits for human-to-human sessions, which have no personality: input size, session rate,
    /// idle and total time (client rate and daily quota use the same values). Default: 2,000
    /// characters, 30/min with a burst of 10, 10 minutes idle, 2 hours total.
    public var humanLimits: LimitValues
    /// How often the hub sweeps idle rate-limiter keys and expired cache entries
    /// (`housekeeping_interval`). Default 1 s.
    public var housekeepingInterval: Duration
    /// Most keys each rate limiter tracks (`max_rate_limiter_keys`). Default 100,000.
    public var maxRateLimiterKeys: Int
    /// Most clients whose daily message count is tracked (`max_quota_clients`). Default
    /// 1,000,000. When full, yesterday's counts are dropped; a client that still finds no room
    /// is not counted (the quota fails open — it is a fairness limit, not a safety one).
    public var maxQuotaClients: Int
    /// The response cache's bounds.
    public var cache: ResponseCacheConfiguration
    /// Recent latency samples kept per kind for percentiles (`latency_samples`). Default 4,096.
    public var latencySamples: Int
    /// How long a disconnected bot session stays resumable before it ends `disconnected`, when
    /// its limits (`resume_window` in limits.yaml) do not say. Zero ends it at once. Default 10 minutes.
    public var resumeWindow: Duration
    /// How many hubs the process runs (a resume asks the others to let go of the session).
    /// Default 1.
    public var hubCount: Int
    /// The store's boot counter, put in session ids (`s<hub>-<epoch>-<n>`) so they never
    /// repeat across restarts of a durable store; `nil` keeps `s<hub>-<n>`. Default nil.
    public var sessionEpoch: Int?
    /// Sessions ended by a shutdown stay resumable in the store (a restart, not a goodbye):
    /// set when the store is durable. Default false.
    public var resumableAfterShutdown: Bool
    /// Seed of the generator that picks fallback personalities and seeds engine sessions, so a
    /// test run is reproducible. Default 0x5EED.
    public var seed: UInt64

    /// Creates a configuration with the documented defaults.
    public init(
        hubIndex: Int = 0, heartbeatInterval: Duration = .seconds(30), maxSessionsPerConnection: Int = 16,
        maxQueuedMessages: Int = 4, maxRememberedSessions: Int = 8,
        rememberedSessionAge: Duration = .seconds(600),
        decoder: ClientMessageDecoder.Configuration = ClientMessageDecoder.Configuration(),
        pauseBacklogBytes: Int = 256 << 10, resumeBacklogBytes: Int = 64 << 10,
        maxBacklogBytes: Int = 4 << 20,
        humanLimits: LimitValues = ChatHubConfiguration.defaultHumanLimits,
        housekeepingInterval: Duration = .seconds(1),
        maxRateLimiterKeys: Int = 100_000, maxQuotaClients: Int = 1_000_000,
        cache: ResponseCacheConfiguration = ResponseCacheConfiguration(),
        latencySamples: Int = 4_096, seed: UInt64 = 0x5EED, resumeWindow: Duration = .seconds(600),
        hubCount: Int = 1, sessionEpoch: Int? = nil, resumableAfterShutdown: Bool = false
    ) {
        self.resumeWindow = resumeWindow
        self.hubCount = hubCount
        self.sessionEpoch = sessionEpoch
        self.resumableAfterShutdown = resumableAfterShutdown
        self.hubIndex = hubIndex
        self.heartbeatInterval = heartbeatInterval
        self.maxSessionsPerConnection = maxSessionsPerConnection
        self.maxQueuedMessages = maxQueuedMessages
        self.maxRememberedSessions = maxRememberedSessions
        self.rememberedSessionAge = rememberedSessionAge
        self.decoder = decoder
        self.pauseBacklogBytes = pauseBacklogBytes
        self.resumeBacklogBytes = resumeBacklogBytes
        self.maxBacklogBytes = maxBacklogBytes
        self.humanLimits = humanLimits
        self.housekeepingInterval = housekeepingInterval
        self.maxRateLimiterKeys = maxRateLimiterKeys
        self.maxQuotaClients = maxQuotaClients
        self.cache = cache
        self.latencySamples = latencySamples
        self.seed = seed
    }

    /// The default limits of human-to-human sessions.
    public static let defaultHumanLimits = LimitValues(
        sessionRate: Rate(count: 30, per: .seconds(60)), sessionBurst: 10,
        maxInputCharacters: 2_000, idleTimeout: .seconds(600), sessionTimeout: .seconds(7_200))
}
