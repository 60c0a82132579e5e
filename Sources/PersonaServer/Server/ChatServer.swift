import ChatProtocol
import Dispatch
import Engines
import HTTPServer
import Observability
import PersonaRuntime
import Personality
import Reactor
import Synchronization
import WebSocket

/// The chat service: the native WebSocket protocol on ``ProtocolVersion/path`` served by one
/// ``ChatHub`` per event loop, beside whatever other routes the caller adds.
///
/// ```swift
/// let loaded = try RegistryLoader(personalities: "Personalities").load()
/// let group = try EventLoopGroup()
/// let chat = ChatServer(snapshot: loaded.snapshot, group: group) { router in
///     router.get("/health") { _ in .response(.json(#"{"status":"ok"}"#)) }
/// }
/// let address = try chat.start(at: SocketAddress(host: "127.0.0.1", port: 8080))
/// ...
/// chat.shutdown()      // on SIGTERM
/// group.shutdown()
/// ```
///
/// ## Sharding
///
/// A connection belongs to the loop that accepted it, and so do its sessions; hubs share only
/// the ``MatchQueue``. Two humans matched across loops talk through hub mail, which this
/// server delivers with the target loop's `execute` (in order per sender).
///
/// ## Slow clients
///
/// The hub's soft bound (pause a connection's token pacing while its socket backlog is high)
/// needs the shell to report the backlog, and `HTTPServer`'s `WebSocketHandle` does not
/// expose its queued byte count yet. Until it does, the hard bound is enforced by the core:
/// ``ChatServerConfiguration/http``'s WebSocket `maxOutboundBytes` (`persona serve`: twice
/// the largest message plus 64 KiB) — a client that stops reading is dropped once that much
/// is queued for it, and no other connection is affected: pacing is per session and writes
/// never block the loop.
public final class ChatServer: Sendable {
    /// The HTTP core (for its address and connection count).
    public let http: HTTPServer
    /// The configuration in force.
    public let configuration: ChatServerConfiguration
    let shells: [LoopBound<HubShell>]
    /// `/socket.io/`, when configured.
    let socketIO: SocketIOServer?
    /// `/engine.io/`: the Engine.IO echo beside the diagnostic Socket.IO echo (`--socketio-echo`).
    let engineIO: SocketIOServer?
    /// Refusals by reason, HTTP errors by status, WebSocket closes by code (for `/metrics`),
    /// and the rate-limited refusal log lines once ``logSessions(to:)`` gave a logger.
    public let events: ServerEventRecorder
    private let group: EventLoopGroup
    private let stopped = Mutex(false)

    /// Creates the server on `group` serving `snapshot`; `routes` adds the other endpoints.
    public init(
        configuration: ChatServerConfiguration = ChatServerConfiguration(), snapshot: RegistrySnapshot,
        engines: EngineRegistry = .builtIn, group: EventLoopGroup,
        routes: (inout HTTPRouter) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.group = group
        let events = ServerEventRecorder(clock: MonotonicPolicyClock())
        self.events = events
        let matchQueue: any MatchQueueing = configuration.node ?? MatchQueue()
        var shells: [LoopBound<HubShell>] = []
        var adapters: [LoopTranscriptStore] = []
        var stores: [any SessionStoreBackend] = []
        for loop in group.loops {
            var hubConfiguration = configuration.hub
            hubConfiguration.hubIndex = loop.index
            hubConfiguration.hubCount = group.loops.count
            // A shared in-memory store answers at once; any other store answers on the loop.
            let transcripts: any TranscriptStore
            if let memory = configuration.store as? InMemoryTranscriptStore {
                transcripts = memory
                stores.append(memory)
            } else if let backend = configuration.store {
                let adapter = LoopTranscriptStore(backend: backend)
                adapters.append(adapter)
                transcripts = adapter
                stores.append(backend)
            } else {
                let memory = InMemoryTranscriptStore()
                transcripts = memory
                stores.append(memory)
            }
            let hub = ChatHub(
                snapshot: snapshot, engines: engines, clock: LoopChatClock(loop: loop),
                configuration: hubConfiguration, matchQueue: matchQueue, transcripts: transcripts)
            let shell = LoopBound(HubShell(index: loop.index, of: group.loops.count, loop: loop, hub: hub), loop: loop)
            if configuration.store != nil, !(configuration.store is InMemoryTranscriptStore) {
                adapters.last?.shell = shell
            }
            if let backend = configuration.replyCache {
                hub.sharedCache = LoopSharedReplyCache(backend: backend, shell: shell)
            }
            if let backend = configuration.rateLimiter {
                hub.sharedRateLimiter = LoopSharedRateLimiter(backend: backend, shell: shell)
            }
            shells.append(shell)
        }
        // Hand every shell the full table on its own loop (the table holds loop-bound values),
        // with the day's message counts the store kept across a restart.
        let today = LoopChatClock(loop: group.loops[0]).wallMilliseconds() / 86_400_000
        let quotas = configuration.store?.quotas(day: today) ?? [:]
        let table = shells
        let ready = DispatchSemaphore(value: 0)
        for shell in shells {
            shell.loop.execute {
                shell.value.peers = table
                shell.value.node = configuration.node
                if !quotas.isEmpty { shell.value.hub.seedDailyCounts(quotas, day: today) }
                shell.value.events = events
                ready.signal()
            }
        }
        for _ in shells { ready.wait() }
        configuration.node?.attach(table)
        self.shells = shells
        var router = HTTPRouter()
        let admission = configuration.connectionRateLimit.map(ConnectionAdmission.init)
        // The chat protocol's own frame cap (64 KiB) and the hub's hard backlog bound, not the
        // server-wide WebSocket limits: an oversized frame is refused from its header.
        let maxFrame = configuration.hub.decoder.maxFrameBytes
        let maxOutbound = 2 * configuration.hub.maxBacklogBytes
        let gate = configuration.auth
        router.get(ProtocolVersion.path) { request in
            if let refusal = admission?.refusal(for: request) { return .response(refusal) }
            let client: ClientIdentity?
            switch gate?.checkWebSocket(request) {
            case .refused(let response)?: return .response(response)
            case .allowed(let identity, _)?: client = identity
            case nil: client = nil
            }
            return .webSocket(
                WebSocketUpgrade(
                    subprotocols: [KeyGate.chatSubprotocol],
                    maxMessageSize: maxFrame, maxOutboundBytes: maxOutbound,
                    failureNotice: { ChatServer.failureNotice($0, maxFrame: maxFrame) },
                    makeHandler: { ChatSocketHandler(shells: table, client: client) }))
        }
        if configuration.api.enabled {
            var api = configuration.api
            // Whenever keys are read (with auth off a valid key still applies, origins included),
            // the origins a key names may read the API's answers.
            if let gate { api.keyOrigins = { gate.keyAllows(origin: $0) } }
            let door = APIDoor(shells: table, stores: stores, configuration: api)
            if let gate {
                // The gate's `/v1/*` routes come last, so the caller's own `/v1/…` routes
                // (`/v1/echo`) still match first.
                routes(&router)
                var api = HTTPRouter()
                door.addRoutes(to: &api)
                gate.install(api, on: &router)
            } else {
                door.addRoutes(to: &router)
                routes(&router)
            }
        } else {
            routes(&router)
        }
        func serve(_ socketIO: SocketIOServerConfiguration, at path: String) -> SocketIOServer {
            let server = SocketIOServer(configuration: socketIO, path: path, group: group, admission: admission) {
                loop in
                switch socketIO.mode {
                case .chat: return SocketIONamespaces(shell: table[loop.index].value, deployments: socketIO.deployments)
                case .echo, .engineEcho: return SocketIOEchoEndpoint()
                }
            }
            if let gate {
                // As on `/v1/ws`: with auth off a valid key still applies its tier and tenant.
                var inner = HTTPRouter()
                server.addRoutes(&inner)
                gate.installSocketIO(inner, path: path, on: &router)
            } else {
                server.addRoutes(&router)
            }
            return server
        }
        socketIO = configuration.socketIO.map { serve($0, at: SocketIOServer.socketIOPath) }
        if var engineOnly = configuration.socketIO, engineOnly.mode == .echo {
            engineOnly.mode = .engineEcho
            engineIO = serve(engineOnly, at: SocketIOServer.engineIOPath)
        } else {
            engineIO = nil
        }
        if configuration.servesPage { ChatPage.addRoutes(to: &router) }
        var http = configuration.http
        if http.observer == nil { http.observer = ServerEventObserver(recorder: events) }
        self.http = HTTPServer(configuration: http, router: router, group: group)
    }

    /// The `error` frame sent before a size refusal's close 1009: `message_too_large` (the
    /// README's documented error) for a frame or message over the protocol's cap; nothing for
    /// other protocol failures (their close reason says it).
    static func failureNotice(_ error: WebSocketProtocolError, maxFrame: Int) -> WebSocketMessage? {
        let report: ErrorReport
        switch error {
        case .frameTooLarge, .messageTooLarge:
            report = ErrorReport(code: .messageTooLarge, message: "frames are limited to \(maxFrame) bytes")
        default:
            return nil
        }
        return .text(String(decoding: ServerMessage.error(report).encoded(), as: UTF8.self))
    }

    /// Binds and starts accepting; returns the bound address.
    @discardableResult
    /// With `proxyProtocol`, connections must begin with a PROXY protocol header (see
    /// `HTTPServer.start(at:proxyProtocol:)`).
    public func start(at address: SocketAddress, proxyProtocol: Bool = false) throws(SystemError) -> SocketAddress {
        try http.start(at: address, proxyProtocol: proxyProtocol)
    }

    /// Graceful shutdown; blocks (call off the loops). First the listener closes, so new
    /// connections are refused (a load balancer moves them elsewhere). Then every hub drains:
    /// no new sessions, idle sessions end `shutdown` at once, streaming replies may finish until
    /// ``ChatServerConfiguration/drainDeadline``, then the rest end `shutdown`; each chat
    /// connection is closed with 1001 once its last session ended. Last, the HTTP core closes
    /// what remains (1001 for WebSockets), waiting ``ChatServerConfiguration/closeGrace``.
    /// Returns whether everything finished in time.
    @discardableResult
    public func shutdown() -> Bool {
        let first = stopped.withLock { stopped -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return true }
        http.stopAccepting()
        let drained = DispatchSemaphore(value: 0)
        let deadline = configuration.drainDeadline
        for shell in shells {
            shell.loop.execute { shell.value.drain(deadline: deadline) { drained.signal() } }
        }
        // The hub ends every session at the deadline itself; the margin covers the frames.
        let wait =
            DispatchTime.now() + .nanoseconds(Int(clamping: (deadline + .seconds(1)).nanosecondsClamped))
        var complete = true
        for _ in shells where drained.wait(timeout: wait) == .timedOut { complete = false }
        // Socket.IO sessions saw their chat sessions end through the hub; now their transports
        // close (held polls get `close`, WebSockets a close packet).
        socketIO?.closeAll()
        engineIO?.closeAll()
        return http.shutdown(gracePeriod: configuration.closeGrace) && complete
    }

    /// Writes one line per session lifecycle event (started, matched, fallback, ended with its
    /// reason) to `logger`, from every hub; waits until each hub has it.
    public func logSessions(to logger: Logger) {
        onEveryHub { $0.sessionLog = SessionEventLog(logger: logger) }
        events.attach(logger)
    }

    /// Swaps the registry on every hub (a reload): new sessions start on `snapshot` at once; a
    /// session streaming a reply finishes it on the version it started with (see
    /// `ChatHub.registryReplaced`). Returns once every hub has the new snapshot.
    public func replaceRegistry(with snapshot: RegistrySnapshot) {
        onEveryHub { shell in shell.perform(shell.hub.registryReplaced(snapshot)) }
    }

    /// Runs `body` on every hub's own loop and returns once all have run it.
    private func onEveryHub(_ body: @escaping @Sendable (HubShell) -> Void) {
        let done = DispatchSemaphore(value: 0)
        for shell in shells {
            shell.loop.execute {
                body(shell.value)
                done.signal()
            }
        }
        for _ in shells { done.wait() }
    }

    /// Live sessions and connections across hubs, plus summed counters; waits for each loop.
    public func statistics() -> ChatServerStatistics {
        let total = Mutex(ChatServerStatistics())
        let answered = DispatchSemaphore(value: 0)
        for shell in shells {
            shell.loop.execute {
                let hub = shell.value.hub
                let sessions = hub.sessionCount
                let connections = hub.connectionCount
                let counters = hub.counters
                total.withLock {
                    $0.sessions += sessions
                    $0.connections += connections
                    $0.counters.add(counters)
                }
                answered.signal()
            }
        }
        for _ in shells { answered.wait() }
        return total.withLock { $0 }
    }
}

extension Duration {
    fileprivate var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return product &+ attoseconds / 1_000_000_000
    }
}
