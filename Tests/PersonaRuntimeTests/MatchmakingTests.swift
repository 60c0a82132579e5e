import ChatProtocol
import PersonaRuntime
import Personality
import Policies
import Testing

@Suite("Matchmaking")
struct MatchmakingTests {
    func startRandom(
        _ harness: HubHarness, _ connection: ConnectionID, _ filters: RandomFilters = RandomFilters()
    ) -> String? {
        harness.send(connection, .start(StartRequest(mode: .random(filters))))
        return harness.received[connection]?.last?.session
    }

    @Test("two random clients are matched, relay messages with their own seq, and see each other type")
    func pairAndRelay() {
        let harness = HubHarness()
        let alice = harness.open()
        let bob = harness.open()
        _ = harness.take(alice)
        _ = harness.take(bob)
        let aliceSession = startRandom(harness, alice)!
        #expect(
            harness.take(alice) == [
                .matching(session: aliceSession, timeoutMilliseconds: 5_000, sessionRef: nil)
            ])
        let bobSession = startRandom(harness, bob)!
        #expect(harness.take(alice).withoutResumeTokens == [.sessionStarted(SessionStart(session: aliceSession, kind: .human))])
        #expect(harness.take(bob).withoutResumeTokens == [.sessionStarted(SessionStart(session: bobSession, kind: .human))])

        harness.send(alice, .typing(session: aliceSession, on: true))
        #expect(harness.take(bob) == [.partnerTyping(session: bobSession, on: true)])
        harness.send(alice, .message(session: aliceSession, text: "hi bob", id: "a1"))
        #expect(harness.take(alice) == [.ack(session: aliceSession, id: "a1", seq: 1)])
        #expect(harness.take(bob) == [.partnerMessage(session: bobSession, seq: 1, text: "hi bob")])
        harness.send(bob, .message(session: bobSession, text: "hi alice", id: "b1"))
        #expect(harness.take(bob) == [.ack(session: bobSession, id: "b1", seq: 2)])
        #expect(harness.take(alice) == [.partnerMessage(session: aliceSession, seq: 2, text: "hi alice")])
        #expect(harness.hub.counters.matched == 2)
    }

    @Test("a random client nobody matches falls back to a routing candidate after the timeout")
    func fallback() {
        let harness = HubHarness()
        let connection = harness.open()
        _ = harness.take(connection)
        let session = startRandom(harness, connection)!
        _ = harness.take(connection)
        harness.advance(by: .milliseconds(4_999))
        #expect(harness.take(connection).isEmpty)
        harness.advance(by: .milliseconds(1))
        let frames = harness.take(connection)
        guard case .sessionStarted(let start)? = frames.first else {
            Issue.record("\(frames)")
            return
        }
        #expect(start.session == session && start.kind == .bot)
        #expect(["ada", "hanna"].contains(start.personality?.id ?? ""))
        harness.send(connection, .message(session: session, text: "hello", id: "m1"))
        #expect(harness.take(connection).replyEnds.first?.finish == .stop)
        #expect(harness.hub.counters.fallbacks == 1)
    }

    @Test(
        "fallback honours the language filter, and uses the default when no candidate fits",
        arguments: [
            ("de", "hanna"), ("en", "ada"), ("fr", "ada"),
        ])
    func languageFilter(language: String, expected: String) {
        let harness = HubHarness()
        let connection = harness.open()
        let session = startRandom(harness, connection, RandomFilters(language: language))!
        harness.advance(by: .seconds(5))
        let started = harness.take(connection).compactMap {
            if case .sessionStarted(let start) = $0 { start } else { nil }
        }
        #expect(started.map(\.session) == [session])
        #expect(started.first?.personality?.id == expected)
    }

    @Test("humans are matched on language: a German speaker waits for another German speaker")
    func humanLanguageFilter() {
        let harness = HubHarness()
        let german = harness.open()
        let english = harness.open()
        let german2 = harness.open()
        let first = startRandom(harness, german, RandomFilters(language: "de"))!
        _ = startRandom(harness, english, RandomFilters(language: "en"))
        #expect(harness.received[english]?.last?.type == "matching")
        _ = startRandom(harness, german2, RandomFilters(language: "de"))
        #expect(harness.received[german]?.last?.withoutResumeToken == .sessionStarted(SessionStart(session: first, kind: .human)))
        #expect(harness.received[german2]?.last?.type == "session_started")
        #expect(harness.received[english]?.last?.type == "matching")
    }

    @Test("with no candidate and no default, a random session ends with no_partner")
    func noPartner() {
        let routing = "matchmaking: { timeout: 1s }\n"
        let harness = HubHarness(files: Fixtures.files(routing: routing))
        let connection = harness.open()
        let session = startRandom(harness, connection)!
        harness.advance(by: .seconds(1))
        #expect(harness.take(connection).endings.map(\.reason) == [.noPartner])
        #expect(harness.hub.sessionCount == 0)
        _ = session
    }

    @Test("when a partner leaves the other side is told, and 'next' finds a new partner or a bot")
    func partnerLeavesAndNext() {
        let harness = HubHarness()
        let alice = harness.open()
        let bob = harness.open()
        let carol = harness.open()
        let aliceSession = startRandom(harness, alice)!
        let bobSession = startRandom(harness, bob)!
        harness.send(bob, .end(session: bobSession))
        #expect(harness.take(alice).endings.map(\.reason).last == .partnerLeft)
        #expect(harness.take(bob).endings.map(\.reason).last == .user)

        harness.send(alice, .next(session: aliceSession, want: .partner))
        let newSession = harness.take(alice).last?.session
        #expect(newSession != nil && newSession != aliceSession)
        _ = startRandom(harness, carol)
        #expect(harness.take(alice).last?.withoutResumeToken == .sessionStarted(SessionStart(session: newSession!, kind: .human)))

        // Carol disconnects; Alice asks for a bot straight away.
        harness.perform(harness.hub.connectionClosed(carol))
        #expect(harness.take(alice).endings.map(\.reason) == [.partnerLeft])
        harness.send(alice, .next(session: newSession!, want: .bot))
        guard case .sessionStarted(let start)? = harness.take(alice).last else {
            Issue.record("no bot")
            return
        }
        #expect(start.kind == .bot)
        // 'next' on a session that never was random, or is unknown, is refused.
        harness.send(alice, .next(session: "s0-999", want: .partner))
        #expect(harness.take(alice).errors.map(\.code) == [.unknownSession])
    }

    @Test("two hubs sharing a match queue pair their clients through mail")
    func crossHub() {
        let queue = MatchQueue()
        let one = HubHarness(configuration: ChatHubConfiguration(hubIndex: 1), matchQueue: queue)
        let two = HubHarness(configuration: ChatHubConfiguration(hubIndex: 2), matchQueue: queue)
        let alice = one.open()
        let bob = two.open()
        let aliceSession = startRandom(one, alice)!
        let bobSession = startRandom(two, bob)!
        #expect(bobSession.hasPrefix("s2-") && aliceSession.hasPrefix("s1-"))
        #expect(two.received[bob]?.last?.withoutResumeToken == .sessionStarted(SessionStart(session: bobSession, kind: .human)))
        func deliver(_ from: HubHarness, to: HubHarness) {
            let mail = from.mail
            from.mail = []
            for item in mail { to.perform(to.hub.mailReceived(item.mail)) }
        }
        deliver(two, to: one)
        #expect(
            one.received[alice]?.last?.withoutResumeToken == .sessionStarted(SessionStart(session: aliceSession, kind: .human)))
        one.send(alice, .message(session: aliceSession, text: "across threads", id: "a1"))
        deliver(one, to: two)
        #expect(
            two.received[bob]?.last == .partnerMessage(session: bobSession, seq: 1, text: "across threads"))
        // Alice's timer fires late: the ticket is gone, so she stays with Bob instead of a bot.
        one.advance(by: .seconds(10))
        #expect(one.received[alice]?.last?.type == "ack")
        one.perform(one.hub.connectionClosed(alice))
        deliver(one, to: two)
        #expect(
            two.received[bob]?.last == .sessionEnded(session: bobSession, reason: .partnerLeft, farewell: nil)
        )
    }
}
