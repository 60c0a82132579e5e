import HTTP1
import WebSocket

/// Every limit and timeout of the HTTP server, with its documented default. Each one, exceeded
/// by one, produces the response named beside it (and a test shows it).
public struct HTTPServerConfiguration: Sendable {
    /// Request-line, header and body limits: 414, 431 and 413 (see `HTTP1Parser.Configuration`).
    public var parser: HTTP1Parser.Configuration
    /// Time from the first byte of a request (or from accept, for a connection's first request)
    /// until its head is complete. A slowloris client dripping header bytes gets 408 and a close
    /// when it runs out; a connection that sends nothing is closed silently. Default 10 s.
    public var headerReadTimeout: Duration
    /// Time allowed for the body once the head is in. Default 30 s → 408.
    public var bodyReadTimeout: Duration
    /// How long a keep-alive connection may sit idle between requests before it is closed
    /// silently. Default 60 s.
    public var idleTimeout: Duration
    /// Requests parsed ahead while earlier responses are still pending (pipelining). Beyond it
    /// the server stops reading until a response completes. Default 16.
    public var maxPipelinedRequests: Int
    /// Response bytes a connection may have queued for a peer that does not read. A streaming
    /// response that pushes the queue past this closes the connection (the slow-reader policy,
    /// as Redis's client output-buffer limit). Default 8 MiB.
    public var maxOutboundBytes: Int
    /// WebSocket limits and timers.
    public var webSocket: WebSocketConfiguration
    /// Told about every error answer and WebSocket close (metrics and abuse logs). Default none.
    public var observer: (any HTTPServerObserver)?
    /// Peers whose `Forwarded` / `X-Forwarded-For` headers and PROXY protocol headers name the
    /// client (`persona serve --trusted-proxies`). Default: none — the TCP peer is the client.
    public var trustedProxies: TrustedProxies = TrustedProxies()

    /// Creates a configuration; every parameter defaults to the documented value.
    public init(
        parser: HTTP1Parser.Configuration = .init(),
        headerReadTimeout: Duration = .seconds(10),
        bodyReadTimeout: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(60),
        maxPipelinedRequests: Int = 16,
        maxOutboundBytes: Int = 8 << 20,
        webSocket: WebSocketConfiguration = .init(),
        observer: (any HTTPServerObserver)? = nil
    ) {
        self.observer = observer
        self.parser = parser
        self.headerReadTimeout = headerReadTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.idleTimeout = idleTimeout
        self.maxPipelinedRequests = maxPipelinedRequests
        self.maxOutboundBytes = maxOutboundBytes
        self.webSocket = webSocket
    }
}

/// WebSocket limits, heartbeats and the Origin policy.
public struct WebSocketConfiguration: Sendable {
    /// Largest single frame payload. Default 16 MiB → close 1009.
    public var maxFrameSize: Int
    /// Largest message after reassembly of fragments. Default 16 MiB → close 1009.
    public var maxMessageSize: Int
    /// Interval between server pings on a quiet connection; `nil` disables heartbeats.
    /// Default 30 s.
    public var pingInterval: Duration?
    /// How long to wait for any frame after a ping before giving up (close 1011 is not sent,
    /// the TCP connection is dropped: a peer that does not answer pings cannot read a close
    /// frame either). Default 30 s.
    public var pongTimeout: Duration
    /// After we send a close frame, how long we wait for the peer's before closing TCP.
    /// Default 5 s.
    public var closeTimeout: Duration
    /// Outbound bytes a connection may have queued. Past it the peer is a slow reader and the
    /// connection is dropped (its handler sees code 1006) rather than buffering without bound —
    /// one stalled client must not cost the server gigabytes. Default 16 MiB plus framing.
    public var maxOutboundBytes: Int
    /// The Origin allow-list hook: called with the request's `Origin` (nil when absent, as for
    /// non-browser clients); returning false answers 403. Default: allow all.
    public var isOriginAllowed: @Sendable (String?) -> Bool
    /// The Origin policy; when set it replaces `isOriginAllowed` (`persona serve
    /// --allowed-origins`). Default nil.
    public var originPolicy: WebSocketOriginPolicy?
    /// The server-wide budget for buffered inbound messages of at least
    /// `memoryBudgetThreshold` bytes, shared by every WebSocket connection of the server (see
    /// `WebSocketMemoryBudget`): a large frame that does not fit is refused with 1009 from its
    /// header, before its payload is read. Default 64 MiB (`persona serve --memory-budget`).
    public var memoryBudget: Int
    /// Messages at least this large are charged to `memoryBudget`. Default 64 KiB.
    public var memoryBudgetThreshold: Int

    /// Creates a configuration; every parameter defaults to the documented value.
    public init(
        maxFrameSize: Int = 16 << 20,
        maxMessageSize: Int = 16 << 20,
        pingInterval: Duration? = .seconds(30),
        pongTimeout: Duration = .seconds(30),
        closeTimeout: Duration = .seconds(5),
        maxOutboundBytes: Int = (16 << 20) + 64 * 1024,
        isOriginAllowed: @escaping @Sendable (String?) -> Bool = { _ in true },
        memoryBudget: Int = 64 << 20,
        memoryBudgetThreshold: Int = 64 * 1024
    ) {
        self.memoryBudget = memoryBudget
        self.memoryBudgetThreshold = memoryBudgetThreshold
        self.maxFrameSize = maxFrameSize
        self.maxMessageSize = maxMessageSize
        self.pingInterval = pingInterval
        self.pongTimeout = pongTimeout
        self.closeTimeout = closeTimeout
        self.maxOutboundBytes = maxOutboundBytes
        self.isOriginAllowed = isOriginAllowed
    }
}
