import Diagnostics
import Engines
import HTTPServer
import Observability
import PersonaRuntime
import Personality
import Reactor
import Synchronization

/// Everything issue 7 adds to `persona serve`, in one object the command wires up:
/// the reload coordinator (shared by the admin API, SIGHUP and `--watch`), the admin listener,
/// `/ready` and `/metrics` on the public router, and the `--watch` reloader.
///
/// The public routes are added before the chat server exists (its router is built in its
/// initialiser), so the server is attached afterwards with ``attach(_:)``; until then `/ready`
/// says not ready and `/metrics` reports zeros.
public final class ServerOperations: Sendable {
    /// Settings, from `serve`'s flags.
    public struct Configuration: Sendable {
        /// Where the admin listener binds. Default 127.0.0.1:8081.
        public var adminAddress: SocketAddress
        /// The data directory holding `admin-token` (and the store). Default `persona-data`.
        public var dataDirectory: String
        /// A token given by flag or `PERSONA_ADMIN_TOKEN` (else the data directory's).
        public var adminToken: String?
        /// The personality tree to watch for `--watch`, or nil.
        public var watchRoot: String?
        /// Debounce settings for `--watch`.
        public var watch: DirectoryWatcher.Configuration
        /// The store (`/ready` checks it can write; the admin API reads and erases through it).
        public var store: (any SessionStoreBackend)?
        /// The API keys `persona keys` manages through the admin API; nil: no key routes.
        public var keys: KeyRing?

        /// Creates settings.
        public init(
            adminAddress: SocketAddress, dataDirectory: String = "persona-data", adminToken: String? = nil,
            watchRoot: String? = nil,
            watch: DirectoryWatcher.Configuration = DirectoryWatcher.Configuration(),
            store: (any SessionStoreBackend)? = nil, keys: KeyRing? = nil
        ) {
            self.keys = keys
            self.store = store
            self.adminAddress = adminAddress
            self.dataDirectory = dataDirectory
            self.adminToken = adminToken
            self.watchRoot = watchRoot
            self.watch = watch
        }
    }

    /// The chat server, once attached.
    private final class Slot: Sendable {
        let chat = Mutex<ChatServer?>(nil)
        var value: ChatServer? { chat.withLock { $0 } }
    }

    /// The settings in force.
    public let configuration: Configuration
    /// Runs every reload.
    public let coordinator: ReloadCoordinator
    /// The admin token, and where it came from.
    public let token: AdminToken, tokenSource: AdminTokenFile.Source
    /// Where log lines go.
    public let logger: Logger
    /// Counts the echo endpoint's WebSockets for the `persona_connections` gauge (wrap its
    /// handler with ``WebSocketGauge/counting(_:)``); the chat hubs count their own.
    public let webSockets = WebSocketGauge()
    private let slot = Slot()
    private let renderer = MetricsRenderer()
    private let draining = Atomic<Bool>(false)
    private let listening = Atomic<Bool>(false)
    private let startedAt: MonotonicInstant
    private let clock: any ReactorClock
    private let admin = Mutex<HTTPServer?>(nil)
    private let watcher = Mutex<WatchReloader?>(nil)

    /// Resolves the admin token (creating the data directory's token file on first start) and
    /// prepares the coordinator over `registry`; `loading` re-reads the personalities.
    public init(
        configuration: Configuration, registry: Registry,
        loading: @escaping @Sendable () -> (snapshot: RegistrySnapshot?, diagnostics: [Diagnostic]),
        logger: Logger, clock: any ReactorClock = MonotonicClock()
    ) throws(AdminTokenFile.Failure) {
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        startedAt = clock.now()
        (token, tokenSource) = try AdminTokenFile.resolve(
            given: configuration.adminToken, dataDirectory: configuration.dataDirectory)
        let slot = self.slot
        coordinator = ReloadCoordinator(
            registry: registry, loading: loading, clock: clock, logger: logger.labelled("persona.reload")
        ) { snapshot in
            slot.value?.publish(snapshot)
        }
    }

    /// Adds metric families from outside the hubs to `/metrics`.
    public func addMetricsSource(_ source: @escaping @Sendable (inout PrometheusExposition) -> Void) {
        renderer.addSource(source)
    }

    /// Adds `/ready` and `/metrics` to the public router.
    public func addPublicRoutes(_ router: inout HTTPRouter) {
        OpsRoutes.add(
            to: &router, readiness: { [self] in readiness }, stats: { [self] in stats() }, renderer: renderer)
    }

    /// What `/ready` reports now.
    public var readiness: OpsRoutes.Readiness {
        OpsRoutes.Readiness(
            registryLoaded: slot.value != nil, listenersUp: listening.load(ordering: .acquiring),
            draining: draining.load(ordering: .acquiring), storeWritable: configuration.store?.isWritable ?? true)
    }

    /// Connects the chat server whose hubs reloads publish to and stats come from.
    public func attach(_ chat: ChatServer) {
        slot.chat.withLock { $0 = chat }
        chat.logSessions(to: logger.labelled("persona.session"))
    }

    /// The admin backend over the attached server.
    public var backend: CoordinatedAdminBackend {
        var backend = CoordinatedAdminBackend(
            coordinator: coordinator, sessions: { [slot] in slot.value?.sessionSummaries() ?? [] },
            stats: { [self] in stats() })
        backend.store = configuration.store
        backend.node = slot.value?.configuration.node
        return backend
    }

    /// Stats as `/metrics` and `/admin/stats` report them.
    public func stats() -> AdminStats {
        let uptime = startedAt.duration(to: clock.now()).seconds
        let isDraining = draining.load(ordering: .acquiring)
        var stats =
            slot.value?.adminStats(uptimeSeconds: uptime, draining: isDraining)
            ?? AdminStats(uptimeSeconds: uptime)
        stats.connections += webSockets.count
        let snapshot = coordinator.registry.current
        let counts = coordinator.reloadCounts
        stats.registryVersion = snapshot.version.description
        stats.personalities = snapshot.personalities.count
        stats.reloadsOK = counts.ok
        stats.reloadsFailed = counts.failed
        return stats
    }

    /// Binds the admin listener on `group` and starts `--watch` if asked; the public listener
    /// is already up. Returns the admin listener's address.
    public func start(group: EventLoopGroup) throws -> SocketAddress {
        let server = HTTPServer(
            router: AdminRoutes.router(backend: backend, token: token, keys: configuration.keys), group: group)
        let bound = try server.start(at: configuration.adminAddress)
        admin.withLock { $0 = server }
        if let root = configuration.watchRoot {
            let logger = self.logger
            let reloader = try WatchReloader(
                root: root, loop: group.loops[0], coordinator: coordinator,
                configuration: configuration.watch,
                onError: { message in logger.warning("watch: \(message)") })
            watcher.withLock { $0 = reloader }
        }
        listening.store(true, ordering: .releasing)
        return bound
    }

    /// The SIGHUP reload: the same function as the admin API's.
    @discardableResult
    public func reloadForSignal() -> ReloadReport {
        coordinator.reload(trigger: .sighup)
    }

    /// Marks the server as draining (`/ready` answers 503 from now on).
    public func beginDrain() {
        draining.store(true, ordering: .releasing)
    }

    /// Stops the watcher and the admin listener (blocks briefly; call off the loops).
    public func shutdown() {
        watcher.withLock { $0 }?.stop()
        admin.withLock { $0 }?.shutdown(gracePeriod: .seconds(2))
    }
}
