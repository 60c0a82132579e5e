import ChatProtocol
import PersonaRuntime
import Personality
import Policies
import Testing

@Suite("What the hub remembers about ended sessions is bounded by count and age")
struct MemoryBoundTests {
    /// Starts `id` in `store`, with one user turn when `turn` is set.
    private func open(_ id: String, in store: InMemoryTranscriptStore, turn: Bool = false) {
        var records: [StoreRecord] = [
            .session(StoredSessionHeader(id: id, kind: .bot, clientKey: "c", createdAtMilliseconds: 0, resumeTokenHash: ""))
        ]
        if turn { records.append(.turn(StoredTurn(session: id, seq: 1, role: .user, text: "hi", atMilliseconds: 0))) }
        _ = store.write(records, ticket: nil)
    }

    private func end(_ id: String, in store: InMemoryTranscriptStore, reason: EndReason) {
        _ = store.write([.ended(session: id, reason: reason, atMilliseconds: 0)], ticket: nil)
    }

    @Test(
        "max_ended_sessions: the store keeps three ended sessions; the fourth forgets the oldest, turns or none"
    )
    func endedSessionCount() {
        let clock = ManualChatClock()
        let store = InMemoryTranscriptStore(maxEndedSessions: 3, clock: clock)
        open("a", in: store, turn: true)
        for id in ["a", "b", "c"] {
            if id != "a" { open(id, in: store) }
            end(id, in: store, reason: .user)
        }
        #expect(store.endedSessionCount == 3 && store.transcript(of: "a").count == 1)
        open("d", in: store)
        end("d", in: store, reason: .noPartner)
        #expect(
            store.endedSessionCount == 3 && store.endReasons["a"] == nil
                && store.endReasons["d"] == .noPartner)
        #expect(store.transcript(of: "a").isEmpty && store.sessionCount == 3)
    }

    @Test(
        "ended_session_age: an ended session is kept one second short of an hour, and forgotten at the hour")
    func endedSessionAge() {
        let clock = ManualChatClock()
        let store = InMemoryTranscriptStore(endedSessionAge: .seconds(3_600), clock: clock)
        open("a", in: store, turn: true)
        end("a", in: store, reason: .user)
        clock.advance(by: .seconds(3_599))
        #expect(store.forgetExpired() && store.transcript(of: "a").count == 1)
        clock.advance(by: .seconds(1))
        #expect(!store.forgetExpired() && store.transcript(of: "a").isEmpty && store.endReasons.isEmpty)
    }

    @Test("sessions that start and end without a message are not remembered forever")
    func emptySessionsStayBounded() {
        let harness = HubHarness(transcripts: { InMemoryTranscriptStore(maxEndedSessions: 100, clock: $0) })
        let connection = harness.open()
        for index in 0..<1_000 {
            let mode: StartRequest.Mode =
                index % 2 == 0 ? .direct(personality: "parrot") : .random(RandomFilters())
            harness.send(connection, .start(StartRequest(mode: mode)))
            guard let session = harness.received[connection]?.last?.session else {
                Issue.record("no session for start \(index)")
                return
            }
            harness.send(connection, .end(session: session))
            _ = harness.take(connection)
        }
        #expect(harness.transcripts.endedSessionCount == 100)
        #expect(harness.transcripts.endReasons.count == 100 && harness.hub.sessionCount == 0)
        // Once every client has left, the housekeeping tick forgets the rest by age.
        harness.perform(harness.hub.connectionClosed(connection))
        harness.advance(by: .seconds(3_601))
        #expect(harness.transcripts.endedSessionCount == 0 && harness.timers.isEmpty)
    }

    @Test(
        "remembered_session_age: 'next' works one second short of ten minutes after the end, not at ten minutes"
    )
    func rememberedAge() {
        let harness = HubHarness()
        let early = harness.open()
        let late = harness.open()
        var ended: [ConnectionID: String] = [:]
        for connection in [early, late] {
            harness.send(connection, .start(StartRequest(mode: .random(RandomFilters(language: "xx")))))
            let session = harness.received[connection]!.last!.session!
            harness.send(connection, .end(session: session))
            ended[connection] = session
            _ = harness.take(connection)
        }
        harness.advance(by: .seconds(599))
        harness.send(early, .next(session: ended[early]!, want: .bot))
        #expect(harness.take(early).contains { $0.type == "session_started" })
        harness.advance(by: .seconds(1))
        harness.send(late, .next(session: ended[late]!, want: .bot))
        #expect(harness.take(late).errors.map(\.code) == [.unknownSession])
    }

    @Test(
        "max_remembered_sessions: eight ended sessions are remembered per connection, the ninth forgets the first"
    )
    func rememberedCount() {
        let harness = HubHarness()
        let connection = harness.open()
        var ids: [String] = []
        for _ in 0..<9 {
            ids.append(harness.startDirect(connection, "parrot"))
            harness.send(connection, .end(session: ids.last!))
        }
        _ = harness.take(connection)
        harness.send(connection, .message(session: ids[1], text: "hi", id: "m1"))
        harness.send(connection, .message(session: ids[0], text: "hi", id: "m2"))
        #expect(harness.take(connection).errors.map(\.code) == [.sessionNotActive, .unknownSession])
    }
}
