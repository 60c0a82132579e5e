import Observability
import WebSocket
import ChatProtocol
import Dispatch
import HTTPServer
import PersonaRuntime
import Personality
import Policies
import Reactor
import Synchronization

extension ChatServer {
    /// Gives every hub `snapshot` (each applies it with `registryReplaced`, so a session keeps
    /// its version until its current reply ends) and returns once all of them have it — what
    /// ``ReloadCoordinator`` times as the swap. Call off the loops.
    public func publish(_ snapshot: RegistrySnapshot) {
        let done = DispatchSemaphore(value: 0)
        for shell in shells {
            shell.loop.execute {
                let value = shell.value
                value.perform(value.hub.registryReplaced(snapshot))
                done.signal()
            }
        }
        for _ in shells { done.wait() }
    }

    /// Every hub's live sessions, oldest first. Call off the loops.
    public func sessionSummaries() -> [SessionSummary] {
        let all = Mutex<[SessionSummary]>([])
        let done = DispatchSemaphore(value: 0)
        for shell in shells {
            shell.loop.execute {
                let summaries = shell.value.hub.sessionSummaries()
                all.withLock { $0 += summaries }
                done.signal()
            }
        }
        for _ in shells { done.wait() }
        return all.withLock { $0 }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// Counters per hub, live sessions by kind and personality, cache evictions and the chat
    /// connections the hubs hold (not plain HTTP requests such as the scrape asking). The registry and reload fields are left for the coordinator's
    /// backend to fill. Call off the loops.
    public func adminStats(uptimeSeconds: Double = 0, draining: Bool = false) -> AdminStats {
        let stats = Mutex(AdminStats())
        let done = DispatchSemaphore(value: 0)
        let hubCount = shells.count
        stats.withLock { $0.hubs = Array(repeating: HubCounters(sampleCapacity: 1), count: hubCount) }
        for (index, shell) in shells.enumerated() {
            shell.loop.execute {
                let hub = shell.value.hub
                let counters = hub.counters
                let live = hub.liveSessionCounts()
                let cache = hub.cacheCounters
                let connections = hub.connectionCount
                stats.withLock { stats in
                    stats.hubs[index] = counters
                    stats.connections += connections
                    for (kind, count) in live.byKind {
                        stats.sessionsByKind[kind?.rawValue ?? "matching", default: 0] += count
                    }
                    stats.sessionsByPersonality.merge(live.byPersonality, uniquingKeysWith: +)
                    stats.cacheEvictions +=
                        cache.evictedExpired + cache.evictedCount + cache.evictedBytes
                        + cache.evictedInvalidated
                }
                done.signal()
            }
        }
        for _ in shells { done.wait() }
        var result = stats.withLock { $0 }
        result.events = events.counts()
        result.memoryBudgetInUse = http.memoryBudget.inUse
        result.memoryBudgetLimit = http.memoryBudget.limit
        result.uptimeSeconds = uptimeSeconds
        result.draining = draining
        return result
    }
}
