import SocketIO
import HTTPServer
import PersonaRuntime
import Policies

/// How `persona serve` runs the chat endpoint, beyond what the registry says.
public struct ChatServerConfiguration: Sendable {
    /// The HTTP/WebSocket core's limits. Its WebSocket `maxOutboundBytes` is the hard bound
    /// on a slow client's queue (see ``ChatServer``).
    public var http: HTTPServerConfiguration
    /// The link to the other nodes of a service (`serve --redis`): the shared match queue and
    /// the cross-node relay; nil for a node on its own.
    package var node: NodeLink?
    /// The hub settings shared by every loop's hub (`hubIndex` is set per loop).
    public var hub: ChatHubConfiguration
    /// How long streaming replies may keep going after SIGINT/SIGTERM (`drain_deadline`)
    /// before their sessions end with `shutdown`. Default 5 s.
    public var drainDeadline: Duration
    /// After the hubs drained, how long connections get to finish their close handshakes
    /// before they are dropped (`close_grace`). Default 2 s.
    public var closeGrace: Duration
    /// New chat connections allowed per peer IP (IPv6: per /64), answered 429 with
    /// `Retry-After` beyond it; `nil` turns the limit off (`connection_rate_limit`). Default
    /// 20/s with a burst of 40.
    public var connectionRateLimit: ConnectionRateLimitConfiguration?
    /// Where sessions and turns are kept, shared by every hub: the SQLite store (`persona
    /// serve`'s default) or an ``InMemoryTranscriptStore``. `nil` gives each hub a private
    /// in-memory store (no resume across hubs). Default nil.
    public var store: (any SessionStoreBackend)?
    /// The REST and OpenAI-compatible doors (CORS, body limit, keep-alives).
    public var api: APIConfiguration
    /// API keys on every public door (see ``KeyGate``); nil: no key is ever looked at.
    /// Default nil.
    public var auth: KeyGate?
    /// Whether the chat page is served at `/`. Default true.
    public var servesPage: Bool
    /// Socket.IO at `/socket.io/` (see ``SocketIOServerConfiguration``); `nil` serves none.
    /// Default `nil`.
    public var socketIO: SocketIOServerConfiguration?
    /// A response cache shared with other nodes (`persona serve --redis`), asked after a hub's
    /// own cache misses; nil: none. Default nil.
    public var replyCache: (any SharedReplyCacheBackend)? = nil
    /// A client rate limit shared with other nodes (`persona serve --redis`), checked after a
    /// hub's own limiters; nil: none. Default nil.
    public var rateLimiter: (any SharedRateLimiterBackend)? = nil

    /// Creates a configuration with the documented defaults.
    public init(
        http: HTTPServerConfiguration = HTTPServerConfiguration(),
        hub: ChatHubConfiguration = ChatHubConfiguration(), drainDeadline: Duration = .seconds(5),
        closeGrace: Duration = .seconds(2),
        connectionRateLimit: ConnectionRateLimitConfiguration? = ConnectionRateLimitConfiguration(),
        socketIO: SocketIOServerConfiguration? = nil,
        store: (any SessionStoreBackend)? = nil,
        api: APIConfiguration = APIConfiguration(), auth: KeyGate? = nil, servesPage: Bool = true
    ) {
        self.auth = auth
        self.servesPage = servesPage
        self.socketIO = socketIO
        self.store = store
        self.api = api
        self.http = http
        self.hub = hub
        self.drainDeadline = drainDeadline
        self.closeGrace = closeGrace
        self.connectionRateLimit = connectionRateLimit
    }
}
