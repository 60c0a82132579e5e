import ChatProtocol
import PersonaRuntime
import Testing

/// A store that, like the Redis store of a node, carries a relay to another hub with the
/// message's write: it keeps the turn in memory, notes the mail, and answers later (the test
/// answers through the hub, as the store's loop would).
final class CarryingStore: TranscriptStore {
    let memory: InMemoryTranscriptStore
    /// The hub index it carries mail to (any other: `nil`, the hub relays itself).
    let carriesTo: Int
    var carried: [(ticket: StoreTicket, hub: Int, mail: HubMail)] = []

    init(memory: InMemoryTranscriptStore, carriesTo: Int) {
        self.memory = memory
        self.carriesTo = carriesTo
    }

    func write(_ records: [StoreRecord], ticket: StoreTicket?) -> StoreAnswer<Void> {
        memory.write(records, ticket: ticket)
    }

    func write(_ records: [StoreRecord], ticket: StoreTicket, carrying mail: HubMail, to hub: Int) -> StoreAnswer<Void>? {
        guard hub == carriesTo else { return nil }
        _ = memory.write(records, ticket: ticket)
        carried.append((ticket, hub, mail))
        return .later
    }

    func load(_ session: String, ticket: StoreTicket) -> StoreAnswer<StoredSession?> {
        memory.load(session, ticket: ticket)
    }
}

@Suite("A human message's relay carried by the store with its write")
struct CarriedRelayTests {
    /// A human session on hub 0 paired with a partner on hub 7 (another node), and its store.
    func paired(carriesTo: Int) -> (HubHarness, CarryingStore, ConnectionID, String) {
        var store: CarryingStore?
        let harness = HubHarness(
            matchQueue: DeferredMatchQueue(),
            store: { memory in
                let carrying = CarryingStore(memory: memory, carriesTo: carriesTo)
                store = carrying
                return carrying
            })
        let connection = harness.open()
        _ = harness.take(connection)
        harness.send(connection, .start(StartRequest(mode: .random(RandomFilters()))))
        let session = harness.take(connection).first?.session ?? ""
        harness.perform(harness.hub.mailReceived(.paired(session: session, partner: PeerAddress(hub: 7, session: "s0-1"))))
        _ = harness.take(connection)
        return (harness, store!, connection, session)
    }

    @Test("the relay goes with the write; once stored the ack follows and the hub relays nothing itself")
    func carriedWithTheWrite() throws {
        let (harness, store, connection, session) = paired(carriesTo: 7)
        harness.send(connection, .message(session: session, text: "hello", id: "m1"))
        #expect(store.carried.map(\.hub) == [7])
        #expect(store.carried.first?.mail == .relay(session: "s0-1", text: "hello"))
        #expect(harness.take(connection).isEmpty, "no ack before the store answered")
        let ticket = try #require(store.carried.first?.ticket)
        harness.perform(harness.hub.storeWritten(ticket, .success(())))
        #expect(harness.take(connection) == [.ack(session: session, id: "m1", seq: 1)])
        #expect(harness.mail.isEmpty, "the store carried the relay: the hub sends no second one")
        #expect(try harness.transcripts.history(session)?.turns.map(\.text) == ["hello"])
    }

    @Test("a carried write that failed is refused store_unavailable, and no relay follows")
    func failedWriteRelaysNothing() throws {
        let (harness, store, connection, session) = paired(carriesTo: 7)
        harness.send(connection, .message(session: session, text: "lost", id: "m1"))
        let ticket = try #require(store.carried.first?.ticket)
        harness.perform(harness.hub.storeWritten(ticket, .failure(StoreFailure("down", retryAfterMilliseconds: 40))))
        let frames = harness.take(connection)
        guard case .error(let report)? = frames.first else {
            Issue.record("\(frames)")
            return
        }
        #expect(report.code == .storeUnavailable)
        #expect(report.retryAfterMilliseconds == 40)
        #expect(harness.mail.isEmpty)
    }

    @Test("a store that does not carry mail to the partner's hub: the hub relays after the commit, as before")
    func notCarried() {
        let (harness, store, connection, session) = paired(carriesTo: 3)
        harness.send(connection, .message(session: session, text: "hello", id: "m1"))
        #expect(store.carried.isEmpty)
        #expect(harness.take(connection) == [.ack(session: session, id: "m1", seq: 1)])
        #expect(harness.mail.map(\.hub) == [7])
        #expect(harness.mail.first?.mail == .relay(session: "s0-1", text: "hello"))
    }
}
