import ChatProtocol
import Observability
import Dispatch
import Engines
import HTTPServer
import PersonaRuntime
import Personality
import Reactor
import Synchronization

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
        let matchQueue = MatchQueue()
        var shells: [LoopBound<HubShell>] = []
        for loop in group.loops {
            var hubConfiguration = configuration.hub
            hubConfiguration.hubIndex = loop.index
            let hub = ChatHub(
                snapshot: snapshot, engines: engines, clock: LoopChatClock(loop: loop),
                configuration: hubConfiguration, matchQueue: matchQueue)
            shells.append(LoopBound(HubShell(index: loop.index, loop: loop, hub: hub), loop: loop))
        }
        // Hand every shell the full table on its own loop (the table holds loop-bound values).
        let table = shells
        let ready = DispatchSemaphore(value: 0)
        for shell in shells {
            shell.loop.execute {
                shell.value.peers = table
                ready.signal()
            }
        }
        for _ in shells { ready.wait() }
        self.shells = shells
        var router = HTTPRouter()
        let admission = configuration.connectionRateLimit.map(ConnectionAdmission.init)
        router.get(ProtocolVersion.path) { request in
            if let refusal = admission?.refusal(for: request) { return .response(refusal) }
            return .webSocket(WebSocketUpgrade { ChatSocketHandler(shells: table) })
        }
        if let socketIO = configuration.socketIO {
            let server = SocketIOServer(configuration: socketIO, group: group, admission: admission) { _ in
                switch socketIO.mode {
                case .echo: return SocketIOEchoEndpoint()
                }
            }
            server.addRoutes(&router)
            self.socketIO = server
        } else {
            self.socketIO = nil
        }
        routes(&router)
        http = HTTPServer(configuration: configuration.http, router: router, group: group)
    }

    /// Binds and starts accepting; returns the bound address.
    @discardableResult
    public func start(at address: SocketAddress) throws(SystemError) -> SocketAddress {
        try http.start(at: address)
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
        socketIO?.closeAll()
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
        return http.shutdown(gracePeriod: configuration.closeGrace) && complete
    }

    /// Writes one line per session lifecycle event (started, matched, fallback, ended with its
    /// reason) to `logger`, from every hub; waits until each hub has it.
    public func logSessions(to logger: Logger) {
        onEveryHub { $0.sessionLog = SessionEventLog(logger: logger) }
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
