import Observability
import PersonaRuntime
import Personality

/// What the admin API needs from the running server. The chat server implements it over its
/// hubs; tests implement it over plain values. Every method may block (it may wait for each
/// event loop to answer), so the admin routes call it off the loops.
public protocol AdminBackend: Sendable {
    /// Reloads (see ``ReloadCoordinator/reload(trigger:dryRun:runTests:)``).
    func reload(dryRun: Bool, runTests: Bool) -> ReloadReport
    /// The snapshot serving now.
    func currentSnapshot() -> RegistrySnapshot
    /// Every live session, oldest first.
    func sessions() -> [SessionSummary]
    /// Counters and gauges for `/admin/stats` and `/metrics`.
    func stats() -> AdminStats
    /// One session's stored transcript (`nil`: no such session).
    func history(session: String) throws(StoreFailure) -> StoredSession?
    /// Erases everything stored about one client key; returns the sessions erased.
    func forget(client: String) throws(StoreFailure) -> Int
    /// Who is online on every node of the service, per tenant (`only`: one tenant; `.some(nil)`
    /// the clients without one), at most `limit` sessions listed per tenant.
    func presence(only: String??, limit: Int) throws(PresenceFailure) -> [PresenceTenant]
}

/// Why the service-wide presence cannot be listed.
public enum PresenceFailure: Error, Sendable, Hashable {
    /// The server is not a node of a service (started without `--redis`).
    case notANode
    /// Redis did not answer.
    case unavailable(String)
}

extension AdminBackend {
    /// A backend without a store has no transcripts.
    public func history(session: String) throws(StoreFailure) -> StoredSession? {
        throw StoreFailure("this server keeps no store")
    }

    /// A backend that is not a node of a service has no presence.
    public func presence(only: String??, limit: Int) throws(PresenceFailure) -> [PresenceTenant] {
        throw .notANode
    }

    /// A backend without a store has nothing to erase.
    public func forget(client: String) throws(StoreFailure) -> Int {
        throw StoreFailure("this server keeps no store")
    }
}

/// Everything `/admin/stats` and `/metrics` report: the hubs' counters (one value per hub, so
/// latency samples stay per hub) plus what only the shell knows.
public struct AdminStats: Sendable {
    /// One value per hub.
    public var hubs: [HubCounters]
    /// Open chat and echo WebSocket connections (plain HTTP requests, such as the scrape
    /// reading this, are not counted).
    public var connections: Int
    /// Live sessions by kind (`matching` for sessions still waiting for a partner).
    public var sessionsByKind: [String: Int]
    /// Live bot sessions by personality id.
    public var sessionsByPersonality: [String: Int]
    /// The snapshot version serving, and how many personalities it has.
    public var registryVersion: String, personalities: Int
    /// Reloads applied and rejected since start.
    public var reloadsOK: Int, reloadsFailed: Int
    /// Cache evictions (the hub counts hits, misses and stores; evictions come from the cache).
    public var cacheEvictions: Int
    /// Seconds since the server started.
    public var uptimeSeconds: Double
    /// Whether the server is draining (not ready).
    public var draining: Bool
    /// Refusals, HTTP errors and WebSocket closes counted by the server's event recorder.
    public var events = ServerEventRecorder.Counts()
    /// Bytes of large inbound WebSocket messages charged to the memory budget now, and its limit.
    public var memoryBudgetInUse = 0, memoryBudgetLimit = 0

    /// Creates stats.
    public init(
        hubs: [HubCounters] = [], connections: Int = 0, sessionsByKind: [String: Int] = [:],
        sessionsByPersonality: [String: Int] = [:], registryVersion: String = "", personalities: Int = 0,
        reloadsOK: Int = 0, reloadsFailed: Int = 0, cacheEvictions: Int = 0, uptimeSeconds: Double = 0,
        draining: Bool = false
    ) {
        self.hubs = hubs
        self.connections = connections
        self.sessionsByKind = sessionsByKind
        self.sessionsByPersonality = sessionsByPersonality
        self.registryVersion = registryVersion
        self.personalities = personalities
        self.reloadsOK = reloadsOK
        self.reloadsFailed = reloadsFailed
        self.cacheEvictions = cacheEvictions
        self.uptimeSeconds = uptimeSeconds
        self.draining = draining
    }

    /// Every hub's counters summed.
    public var total: HubCounters {
        var sum = HubCounters(sampleCapacity: 1)
        for hub in hubs { sum.add(hub) }
        return sum
    }
}
