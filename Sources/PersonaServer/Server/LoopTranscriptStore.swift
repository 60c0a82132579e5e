import PersonaRuntime
import Reactor

/// One hub's view of the process's shared store: requests go to the store's own thread, and
/// every answer comes back on the hub's loop (through `execute`) as `storeWritten` /
/// `storeLoaded`. The hub never waits for the disk.
///
/// With a node link and a store that publishes with its writes (Redis), a human message's
/// relay to a partner on another node rides along with the message's write: the store
/// publishes it on the partner node's channel once the turn is stored, in the same round trip.
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

    /// Carries mail for a hub on another node (its index is past this server's hubs) when the
    /// backend can publish with a write; the node link learns how many subscribers got it.
    func write(_ records: [StoreRecord], ticket: StoreTicket, carrying mail: HubMail, to hub: Int) -> StoreAnswer<Void>? {
        guard let shell, let backend = backend as? any PublishingStoreBackend, let node = shell.value.node,
            let carried = node.publication(for: mail, to: hub)
        else { return nil }
        backend.write(records, publishing: carried.publication) { result in
            shell.loop.execute {
                shell.value.perform(shell.value.hub.storeWritten(ticket, result.map { _ in () }))
                // After the ack: a relay that reached nobody ends the session after it, as when
                // the link published the relay itself.
                if case .success(let receivers) = result { node.carried(carried.mail, to: carried.target, receivers: receivers) }
            }
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
