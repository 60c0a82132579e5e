import PersonaRuntime
import Reactor

/// One hub's view of the process's shared store: requests go to the store's own thread, and
/// every answer comes back on the hub's loop (through `execute`) as `storeWritten` /
/// `storeLoaded`. The hub never waits for the disk.
final class LoopTranscriptStore: TranscriptStore {
    let backend: any SessionStoreBackend
    /// The shell whose hub the answers go to (set once, right after the shell exists).
    var shell: LoopBound<HubShell>?

    init(backend: any SessionStoreBackend) {
        self.backend = backend
    }

    func write(_ records: [StoreRecord], ticket: StoreTicket?) -> StoreAnswer<Void> {
        guard let shell else { return .now(.failure(StoreFailure("the store is not attached"))) }
        guard let ticket else {
            // Nobody waits: a failure is counted by the store, the loop is not woken.
            backend.write(records) { _ in }
            return .later
        }
        backend.write(records) { result in
            shell.loop.execute { shell.value.perform(shell.value.hub.storeWritten(ticket, result)) }
        }
        return .later
    }

    func load(_ session: String, ticket: StoreTicket) -> StoreAnswer<StoredSession?> {
        guard let shell else { return .now(.failure(StoreFailure("the store is not attached"))) }
        backend.load(session) { result in
            shell.loop.execute { shell.value.perform(shell.value.hub.storeLoaded(ticket, result)) }
        }
        return .later
    }
}
