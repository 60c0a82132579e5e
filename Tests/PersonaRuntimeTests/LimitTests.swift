import ChatProtocol
import PersonaRuntime
import Personality
import Policies
import Testing

@Suite("Response and rate limits")
struct LimitTests {
    func parrot(limits: String) -> String {
        Fixtures.parrot.replacing(
            "limits: { use: base, responses_per_session: 3 }", with: "limits: \(limits)")
    }

    @Test(
        "responses_per_session: the third reply is followed at once by the farewell and limit_reached, and every message is answered"
    )
    func responsesPerSession() {
        let harness = HubHarness()
        let connection = harness.open()
        let session = harness.startDirect(connection, "parrot")
        for index in 1...2 {
            harness.send(connection, .message(session: session, text: "count", id: "m\(index)"))
            let frames = harness.take(connection)
            #expect(frames.replyEnds.map(\.finish) == [.stop] && frames.endings.isEmpty)
        }
        harness.send(connection, .message(session: session, text: "count", id: "m3"))
        let frames = harness.take(connection)
        #expect(frames.first == .ack(session: session, id: "m3", seq: 5))
        #expect(frames.replyEnds.map(\.finish) == [.stop])
        #expect(
            frames.last
                == .sessionEnded(session: session, reason: .limitReached, farewell: "Bye bye, squawk!"))
        #expect(harness.hub.counters.limitReached == 1 && harness.hub.sessionCount == 0)
        harness.send(connection, .message(session: session, text: "count", id: "m4"))
        let errors = harness.take(connection).errors
        #expect(errors.map(\.code) == [.sessionNotActive] && errors.first?.ref == "m4")
    }

    @Test(
        "a message sent while the last allowed reply streams is refused with limit_reached, then the session ends"
    )
    func messageDuringLastReply() {
        let slow = """
            id: slowpoke
            name: Slowpoke
            engine: script
            farewell: "Later."
            limits: { use: base, responses_per_session: 2 }
            stream: { tokens_per_second: 10 }
            script:
              fallback: ["one two three"]
            """
        let harness = HubHarness(files: Fixtures.files(extra: [slow]))
        let connection = harness.open()
        let session = harness.startDirect(connection, "slowpoke")
        harness.send(connection, .message(session: session, text: "a", id: "m1"))
        harness.send(connection, .message(session: session, text: "b", id: "m2"))
        harness.send(connection, .message(session: session, text: "c", id: "m3"))
        let early = harness.take(connection)
        #expect(early.contains(.ack(session: session, id: "m1", seq: 1)))
        #expect(early.contains(.ack(session: session, id: "m2", seq: 3)))
        #expect(early.errors.map(\.code) == [.limitReached] && early.errors.first?.ref == "m3")
        #expect(early.endings.isEmpty)
        harness.advance(by: .seconds(2))
        let late = harness.take(connection)
        #expect(late.replyEnds.map(\.finish) == [.stop, .stop])
        #expect(late.last == .sessionEnded(session: session, reason: .limitReached, farewell: "Later."))
    }

    @Test("on_limit: error refuses the message past the limit and keeps the session")
    func onLimitError() {
        let harness = HubHarness(files: Fixtures.files(parrot: parrot(limits: "strict")))
        let connection = harness.open()
        let session = harness.startDirect(connection, "parrot")
        harness.send(connection, .message(session: session, text: "count", id: "m1"))
        harness.send(connection, .message(session: session, text: "count", id: "m2"))
        _ = harness.take(connection)
        harness.send(connection, .message(session: session, text: "count", id: "m3"))
        let errors = harness.take(connection).errors
        #expect(errors.map(\.code) == [.limitReached])
        #expect(errors.first?.ref == "m3" && errors.first?.session == session)
        #expect(harness.hub.sessionCount == 1)
    }

    @Test("max_input_chars: fifty characters pass, fifty-one are message_too_large")
    func maxInput() {
        let harness = HubHarness()
        let connection = harness.open()
        let session = harness.startDirect(connection, "parrot")
        harness.send(
            connection, .message(session: session, text: String(repeating: "é", count: 50), id: "ok"))
        #expect(harness.take(connection).first == .ack(session: session, id: "ok", seq: 1))
        harness.send(
            connection, .message(session: session, text: String(repeating: "é", count: 51), id: "long"))
        let errors = harness.take(connection).errors
        #expect(errors.map(\.code) == [.messageTooLarge] && errors.first?.ref == "long")
    }

    @Test("max_reply_tokens: a longer reply is cut with finish 'length'")
    func maxReplyTokens() {
        let harness = HubHarness(
            files: Fixtures.files(parrot: parrot(limits: "{ use: base, max_reply_tokens: 5 }")))
        let connection = harness.open()
        let session = harness.startDirect(connection, "parrot")
        harness.send(connection, .message(session: session, text: "count", id: "m1"))
        let frames = harness.take(connection)
        #expect(frames.replyText(session: session) == "one two three")
        #expect(frames.replyEnds.map(\.tokens) == [5] && frames.replyEnds.map(\.finish) == [.length])
    }

    @Test(
        "session_rate with a burst of two: the third message at once is rate_limited with retry_after_ms, then allowed"
    )
    func rateLimit() {
        let harness = HubHarness(
            files: Fixtures.files(
                parrot: parrot(limits: "{ use: base, session_rate: 60/min, session_burst: 2 }")))
        let connection = harness.open()
        let session = harness.startDirect(connection, "parrot")
        harness.send(connection, .message(session: session, text: "count", id: "m1"))
        harness.send(connection, .message(session: session, text: "count", id: "m2"))
        _ = harness.take(connection)
        harness.send(connection, .message(session: session, text: "count", id: "m3"))
        let errors = harness.take(connection).errors
        #expect(errors.map(\.code) == [.rateLimited])
        #expect(errors.first?.retryAfterMilliseconds == 1_000 && errors.first?.ref == "m3")
        harness.advance(by: .milliseconds(999))
        harness.send(connection, .message(session: session, text: "count", id: "m4"))
        #expect(harness.take(connection).errors.first?.retryAfterMilliseconds == 1)
        harness.advance(by: .milliseconds(1))
        harness.send(connection, .message(session: session, text: "count", id: "m5"))
        #expect(harness.take(connection).first == .ack(session: session, id: "m5", seq: 5))
        #expect(harness.hub.counters.rateLimited == 2)
    }

    @Test("client_rate counts across a client's sessions; another client is unaffected")
    func clientRate() {
        let harness = HubHarness(
            files: Fixtures.files(
                parrot: parrot(limits: "{ use: base, client_rate: 1/min, client_burst: 1 }")))
        let flooder = harness.open(client: ClientIdentity(key: "10.0.0.1"))
        let polite = harness.open(client: ClientIdentity(key: "10.0.0.2"))
        let first = harness.startDirect(flooder, "parrot")
        let second = harness.startDirect(flooder, "parrot")
        let third = harness.startDirect(polite, "parrot")
        harness.send(flooder, .message(session: first, text: "hi", id: "m1"))
        harness.send(flooder, .message(session: second, text: "hi", id: "m1"))
        #expect(harness.take(flooder).errors.map(\.code) == [.rateLimited])
        harness.send(polite, .message(session: third, text: "hi", id: "m1"))
        #expect(harness.take(polite).errors.isEmpty)
    }

    @Test("personality_rate counts across every session of the personality")
    func personalityRate() {
        let harness = HubHarness(
            files: Fixtures.files(
                parrot: parrot(limits: "{ use: base, personality_rate: 2/min, personality_burst: 2 }")))
        let one = harness.open()
        let two = harness.open()
        let first = harness.startDirect(one, "parrot")
        let second = harness.startDirect(two, "parrot")
        harness.send(one, .message(session: first, text: "hi", id: "m1"))
        harness.send(two, .message(session: second, text: "hi", id: "m1"))
        #expect(harness.take(one).errors.isEmpty && harness.take(two).errors.isEmpty)
        harness.send(two, .message(session: second, text: "hi", id: "m2"))
        let errors = harness.take(two).errors
        #expect(errors.map(\.code) == [.rateLimited] && errors.first?.retryAfterMilliseconds == 30_000)
    }

    @Test("daily_messages_per_client: one past the quota is limit_reached until UTC midnight")
    func dailyQuota() {
        let harness = HubHarness(
            files: Fixtures.files(parrot: parrot(limits: "{ use: base, daily_messages_per_client: 2 }")))
        let connection = harness.open()
        harness.advance(by: .seconds(3_600))
        let session = harness.startDirect(connection, "parrot")
        harness.send(connection, .message(session: session, text: "a", id: "m1"))
        harness.send(connection, .message(session: session, text: "b", id: "m2"))
        _ = harness.take(connection)
        harness.send(connection, .message(session: session, text: "c", id: "m3"))
        let errors = harness.take(connection).errors
        #expect(errors.map(\.code) == [.limitReached])
        #expect(errors.first?.retryAfterMilliseconds == Int64(23 * 3_600_000))
    }

    @Test("max_quota_clients: at the bound a new client is not counted, and the quota fails open")
    func quotaClients() {
        let harness = HubHarness(
            files: Fixtures.files(parrot: parrot(limits: "{ use: base, daily_messages_per_client: 1 }")),
            configuration: ChatHubConfiguration(maxQuotaClients: 1))
        let counted = harness.open()
        let uncounted = harness.open()
        let first = harness.startDirect(counted, "parrot")
        let second = harness.startDirect(uncounted, "parrot")
        harness.send(counted, .message(session: first, text: "a", id: "m1"))
        harness.send(counted, .message(session: first, text: "b", id: "m2"))
        #expect(harness.take(counted).errors.map(\.code) == [.limitReached])
        harness.send(uncounted, .message(session: second, text: "a", id: "m1"))
        harness.send(uncounted, .message(session: second, text: "b", id: "m2"))
        #expect(harness.take(uncounted).errors.isEmpty)
    }

    @Test("idle_timeout and session_timeout end the session with the farewell")
    func timeouts() {
        let harness = HubHarness(files: Fixtures.files(parrot: parrot(limits: "base")))
        let connection = harness.open()
        let session = harness.startDirect(connection, "parrot")
        harness.advance(by: .seconds(300))
        harness.send(connection, .message(session: session, text: "hi", id: "m1"))
        _ = harness.take(connection)
        harness.advance(by: .seconds(599))
        #expect(harness.take(connection).endings.isEmpty)
        harness.advance(by: .seconds(1))
        #expect(
            harness.take(connection).endings.map { [$0.reason.rawValue, $0.farewell ?? ""] } == [
                ["idle", "Bye bye, squawk!"]
            ])

        let other = harness.startDirect(connection, "parrot")
        for _ in 0..<14 {
            harness.advance(by: .seconds(500))
            harness.send(connection, .message(session: other, text: "hi", id: "m"))
        }
        harness.advance(by: .seconds(200))
        #expect(harness.take(connection).endings.map(\.reason) == [.sessionTimeout])
    }

    @Test("max_sessions_per_connection: sixteen sessions open, the seventeenth is refused")
    func maxSessions() {
        let harness = HubHarness()
        let connection = harness.open()
        for _ in 0..<16 { _ = harness.startDirect(connection, "parrot") }
        harness.send(connection, .start(StartRequest(mode: .direct(personality: "parrot"), sessionRef: "17")))
        let errors = harness.take(connection).errors
        #expect(errors.map(\.code) == [.tooManySessions] && errors.first?.ref == "17")
    }
}
