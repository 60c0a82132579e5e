import PersonaRuntime
import Reactor

/// One hub's view of the process's shared response cache: lookups go to the backend, and every
/// answer comes back on the hub's loop as `sharedCacheAnswered`. The hub never waits.
final class LoopSharedReplyCache: SharedReplyCache {
    let backend: any SharedReplyCacheBackend
    let shell: LoopBound<HubShell>

    init(backend: any SharedReplyCacheBackend, shell: LoopBound<HubShell>) {
        self.backend = backend
        self.shell = shell
    }

    func lookup(_ key: String, ticket: StoreTicket) {
        let shell = shell
        backend.lookup(key) { tokens in
            shell.loop.execute { shell.value.perform(shell.value.hub.sharedCacheAnswered(ticket, tokens)) }
        }
    }

    func store(_ key: String, tokens: [String], ttl: Duration) {
        backend.store(key, tokens: tokens, ttl: ttl)
    }
}
