import ChatProtocol
import PersonaRuntime
import Synchronization
import Testing

/// A queue that decides later, as one shared by several nodes does: it never claims at once,
/// records what the hub asked, and never withdraws at once.
final class DeferredMatchQueue: MatchQueueing {
    let enqueued = Mutex<[MatchTicket]>([])
    let withdrawn = Mutex<[PeerAddress]>([])

    func claimOrEnqueue(_ ticket: MatchTicket) -> MatchTicket? {
        enqueued.withLock { $0.append(ticket) }
        return nil
    }
    func withdraw(_ address: PeerAddress) -> Bool {
        withdrawn.withLock { $0.append(address) }
        return false
    }
}

@Suite("Matchmaking through a queue that decides later")
struct DeferredMatchQueueTests {
    func waiting(_ harness: HubHarness, filters: RandomFilters = RandomFilters()) -> (ConnectionID, String) {
        let connection = harness.open()
        _ = harness.take(connection)
        harness.send(connection, .start(StartRequest(mode: .random(filters))))
        let session = harness.take(connection).first?.session ?? ""
        return (connection, session)
    }

    @Test("the timeout only asks the queue to withdraw; the fallback waits for its 'unmatched' answer, once")
    func fallbackWaitsForTheAnswer() {
        let queue = DeferredMatchQueue()
        let harness = HubHarness(matchQueue: queue)
        let (connection, session) = waiting(harness, filters: RandomFilters(language: "en", tags: ["chess"]))
        #expect(queue.enqueued.withLock { $0.map(\.address) } == [PeerAddress(hub: 0, session: session)])
        #expect(queue.enqueued.withLock { $0.first?.filters.tags } == ["chess"])
        harness.advance(by: .seconds(5))
        #expect(queue.withdrawn.withLock { $0 } == [PeerAddress(hub: 0, session: session)])
        #expect(harness.take(connection).isEmpty, "no fallback before the queue answers")
        harness.perform(harness.hub.mailReceived(.unmatched(session: session)))
        let frames = harness.take(connection)
        guard case .sessionStarted(let start)? = frames.first else {
            Issue.record("\(frames)")
            return
        }
        #expect(start.kind == .bot)
        harness.perform(harness.hub.mailReceived(.unmatched(session: session)))
        #expect(harness.take(connection).isEmpty, "a second answer changes nothing")
        #expect(harness.hub.counters.fallbacks == 1)
    }

    @Test("a pairing answer after the timeout makes a human session, and a late 'unmatched' is ignored")
    func pairedAfterTimeout() {
        let queue = DeferredMatchQueue()
        let harness = HubHarness(matchQueue: queue)
        let (connection, session) = waiting(harness)
        harness.advance(by: .seconds(5))
        harness.perform(harness.hub.mailReceived(.paired(session: session, partner: PeerAddress(hub: 7, session: "s0-1"))))
        #expect(harness.take(connection).withoutResumeTokens == [.sessionStarted(SessionStart(session: session, kind: .human))])
        harness.perform(harness.hub.mailReceived(.unmatched(session: session)))
        #expect(harness.take(connection).isEmpty)
        #expect(harness.hub.counters.fallbacks == 0)
        harness.send(connection, .message(session: session, text: "hello", id: "m1"))
        #expect(harness.mail.contains { $0.hub == 7 && $0.mail == .relay(session: "s0-1", text: "hello") })
    }
}
