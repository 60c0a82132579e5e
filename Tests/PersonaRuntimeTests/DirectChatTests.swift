import ChatProtocol
import PersonaRuntime
import Policies
import Testing

@Suite("Direct chat")
struct DirectChatTests {
    @Test("a connection is welcomed with the protocol version and its limits")
    func welcome() {
        let harness = HubHarness()
        let connection = harness.open()
        #expect(
            harness.take(connection) == [
                .welcome(
                    connection: "c1", protocolVersion: 1, heartbeatMilliseconds: 30_000,
                    limits: ConnectionLimits(maxFrameBytes: 65_536, maxSessions: 16, maxQueuedMessages: 4))
            ])
    }

    @Test("a direct chat greets, acks, and streams tokens that join to the script engine's reply")
    func directChat() throws {
        let harness = HubHarness()
        let connection = harness.open()
        _ = harness.take(connection)
        harness.send(
            connection, .start(StartRequest(mode: .direct(personality: "parrot"), sessionRef: "tab")))
        let started = harness.take(connection)
        guard case .sessionStarted(let start)? = started.first else {
            Issue.record("\(started)")
            return
        }
        #expect(
            start.kind == .bot && start.personality?.id == "parrot"
                && start.personality?.name == "Polly the Parrot")
        #expect(start.greeting == "Squawk! Hello!" && start.sessionRef == "tab")
        let session = start.session

        harness.send(connection, .message(session: session, text: "my name is Jack", id: "m1"))
        let frames = harness.take(connection)
        #expect(frames.first == .ack(session: session, id: "m1", seq: 1))
        #expect(frames[1] == .replyStart(session: session, reply: 1, seq: 2, ref: "m1"))
        #expect(frames.replyText(session: session) == "Nice to meet you, Jack!")
        let tokens = frames.filter { if case .token = $0 { true } else { false } }.count
        #expect(tokens > 1)
        #expect(frames.last == .replyEnd(session: session, reply: 1, seq: 2, tokens: tokens, finish: .stop))

        harness.send(connection, .message(session: session, text: "What is my name?", id: "m2"))
        let second = harness.take(connection)
        #expect(second.replyText(session: session) == "Your name is Jack.")
        #expect(second.first == .ack(session: session, id: "m2", seq: 3))

        let transcript = harness.transcripts.transcript(of: session)
        #expect(transcript.map(\.role) == [.user, .bot, .user, .bot])
        #expect(transcript.map(\.seq) == [1, 2, 3, 4])
        #expect(transcript[1].text == "Nice to meet you, Jack!")
        #expect(
            harness.hub.counters.messagesIn == 2
                && harness.hub.counters.tokensOut == tokens
                    + second.filter { if case .token = $0 { true } else { false } }.count
        )
        #expect(harness.hub.counters.timeToFirstToken.count == 2)
    }

    @Test("personal data is scrubbed before the engine, the transcript and the client, both ways")
    func scrubbing() {
        let harness = HubHarness()
        let connection = harness.open()
        let session = harness.startDirect(connection, "parrot")
        harness.send(connection, .message(session: session, text: "my name is bob@example.com", id: "m1"))
        let frames = harness.take(connection)
        #expect(!frames.replyText(session: session).contains("bob@"))
        #expect(harness.transcripts.transcript(of: session)[0].text == "my name is [EMAIL]")
        harness.send(connection, .message(session: session, text: "email", id: "m2"))
        #expect(harness.take(connection).replyText(session: session) == "Write to [EMAIL] any time.")
        #expect(harness.hub.counters.redactionsInbound[.email] == 1)
        #expect(harness.hub.counters.redactionsOutbound[.email] == 1)
    }

    /// Sends a message with a link and a phone number to a new parrot session; its stored turn.
    func storedTurnWithLinkAndPhone(_ harness: HubHarness) -> (session: String, connection: ConnectionID, text: String?) {
        let connection = harness.open()
        let session = harness.startDirect(connection, "parrot")
        harness.send(connection, .message(session: session, text: "my name is https://x.io call +1 415 555 0134", id: "m1"))
        _ = harness.take(connection)
        return (session, connection, harness.transcripts.transcript(of: session).first?.text)
    }

    @Test(
        "pii.types chooses what a personality scrubs: with [email, url] a link is replaced and a phone number kept"
    )
    func scrubbedTypes() {
        let parrot = Fixtures.parrot.replacing(
            "stream: { tokens_per_second: 0 }", with: "stream: { tokens_per_second: 0 }\npii: { types: [email, url] }")
        let harness = HubHarness(files: Fixtures.files(parrot: parrot))
        let (session, connection, stored) = storedTurnWithLinkAndPhone(harness)
        #expect(stored == "my name is [URL] call +1 415 555 0134")
        harness.send(connection, .message(session: session, text: "email", id: "m2"))
        #expect(harness.take(connection).replyText(session: session) == "Write to [EMAIL] any time.")
        #expect(harness.hub.counters.redactionsInbound[.url] == 1)
        #expect(harness.hub.counters.redactionsInbound[.phone] == 0)
    }

    @Test("without pii.types a personality scrubs the defaults: a phone number is replaced, a plain link kept")
    func defaultScrubbedTypes() {
        #expect(storedTurnWithLinkAndPhone(HubHarness()).text == "my name is https://x.io call [PHONE]")
    }

    @Test("a cacheable personality replays a repeated first message from the cache as tokens")
    func cache() {
        let harness = HubHarness()
        let connection = harness.open()
        let first = harness.startDirect(connection, "ada")
        harness.send(connection, .message(session: first, text: "hello", id: "m1"))
        let fresh = harness.take(connection).replyText(session: first)
        let second = harness.startDirect(connection, "ada")
        harness.send(connection, .message(session: second, text: "Hello", id: "m1"))
        let replayed = harness.take(connection)
        #expect(replayed.replyText(session: second) == fresh)
        #expect(replayed.filter { if case .token = $0 { true } else { false } }.count > 1)
        #expect(
            harness.hub.counters.cacheMisses == 1 && harness.hub.counters.cacheHits == 1
                && harness.hub.counters.cacheStores == 1)
    }

    @Test("ping is answered with pong carrying its id")
    func ping() {
        let harness = HubHarness()
        let connection = harness.open()
        _ = harness.take(connection)
        harness.send(connection, .ping(id: "p7"))
        #expect(harness.take(connection) == [.pong(id: "p7")])
    }
}
