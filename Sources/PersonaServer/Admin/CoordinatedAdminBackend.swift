import Dispatch
import PersonaRuntime
import Redis
import Synchronization
import Personality

/// The admin backend the server uses: reloads and personalities from a ``ReloadCoordinator``,
/// sessions and stats from closures over the hubs (each waits for every loop to answer).
public struct CoordinatedAdminBackend: AdminBackend {
    /// Runs reloads and owns the registry.
    public let coordinator: ReloadCoordinator
    private let liveSessions: @Sendable () -> [SessionSummary]
    private let liveStats: @Sendable () -> AdminStats
    /// The store transcripts are read from and erased in, if the server keeps one.
    public var store: (any SessionStoreBackend)?
    /// The link to the other nodes, when the server is a node of a service (`--redis`).
    package var node: NodeLink?
    /// How long a presence listing waits for Redis. 5 s.
    static let presenceTimeout = 5.0

    /// Creates the backend. `stats` need not fill the registry and reload fields: they are
    /// taken from the coordinator.
    public init(
        coordinator: ReloadCoordinator, sessions: @escaping @Sendable () -> [SessionSummary],
        stats: @escaping @Sendable () -> AdminStats
    ) {
        self.coordinator = coordinator
        self.liveSessions = sessions
        self.liveStats = stats
    }

    /// Reloads through the coordinator (trigger `admin`).
    public func reload(dryRun: Bool, runTests: Bool) -> ReloadReport {
        coordinator.reload(trigger: .admin, dryRun: dryRun, runTests: runTests)
    }

    /// The coordinator's current snapshot.
    public func currentSnapshot() -> RegistrySnapshot { coordinator.registry.current }

    /// The stored transcript of `session`.
    public func history(session: String) throws(StoreFailure) -> StoredSession? {
        guard let store else { throw StoreFailure("this server keeps no store") }
        return try store.history(session)
    }

    /// Erases `client` from the store.
    public func forget(client: String) throws(StoreFailure) -> Int {
        guard let store else { throw StoreFailure("this server keeps no store") }
        return try store.forget(client: client)
    }

    /// Every node's presence, read from Redis through the node link (blocks up to 5 s).
    public func presence(only: String??, limit: Int) throws(PresenceFailure) -> [PresenceTenant] {
        guard let node else { throw .notANode }
        let answer = Mutex<Result<[PresenceTenant], RedisError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        node.presence(only: only, limit: limit) { result in
            answer.withLock { $0 = result }
            done.signal()
        }
        guard done.wait(timeout: .now() + Self.presenceTimeout) == .success, let result = answer.withLock({ $0 }) else {
            throw .unavailable("Redis did not answer within \(Int(Self.presenceTimeout)) s")
        }
        switch result {
        case .success(let tenants): return tenants
        case .failure(let error): throw .unavailable("\(error)")
        }
    }

    /// The hubs' sessions.
    public func sessions() -> [SessionSummary] { liveSessions() }

    /// The hubs' stats, with the registry and reload fields from the coordinator.
    public func stats() -> AdminStats {
        var stats = liveStats()
        let snapshot = coordinator.registry.current
        let counts = coordinator.reloadCounts
        stats.registryVersion = snapshot.version.description
        stats.personalities = snapshot.personalities.count
        stats.reloadsOK = counts.ok
        stats.reloadsFailed = counts.failed
        return stats
    }
}
