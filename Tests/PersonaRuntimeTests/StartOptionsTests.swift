import ChatProtocol
import PersonaRuntime
import Policies
import Testing

@Suite("start options: replay, max_tokens, session status")
struct StartOptionsTests {
    /// A harness with one connection that started `request`; the session id, or nil.
    func started(_ request: StartRequest) -> (harness: HubHarness, connection: ConnectionID, session: String?) {
        let harness = HubHarness()
        let connection = harness.open()
        _ = harness.take(connection)
        harness.send(connection, .start(request))
        for case .sessionStarted(let start) in harness.take(connection) {
            return (harness, connection, start.session)
        }
        return (harness, connection, nil)
    }

    @Test("replayed turns rebuild the engine's state, scrubbed, without acks, transcript or rate spending")
    func replayRebuildsState() throws {
        let harness = HubHarness()
        let connection = harness.open()
        _ = harness.take(connection)
        harness.send(
            connection,
            .start(
                StartRequest(
                    mode: .direct(personality: "parrot"),
                    replay: ["my name is Jack", "my name is jack@example.com"])))
        let started = harness.take(connection)
        #expect(started.count == 1)
        guard case .sessionStarted(let start)? = started.first else { return }
        harness.send(connection, .message(session: start.session, text: "what is my name", id: "m1"))
        let frames = harness.take(connection)
        #expect(frames.first == .ack(session: start.session, id: "m1", seq: 1))
        // The e-mail reached the engine scrubbed: the remembered name is the placeholder.
        #expect(frames.replyText(session: start.session) == "Your name is [EMAIL].")
        #expect(harness.transcripts.transcript(of: start.session).map(\.role) == [.user, .bot])
        #expect(harness.hub.counters.messagesIn == 1)
        // Replays are not replies: the parrot's three responses are all left.
        #expect(harness.hub.sessionStatus(start.session)?.limits.responses == 2)
    }

    @Test("a one-shot session gets no token, leaves nothing in the store and ends with its connection")
    func oneShot() throws {
        let harness = HubHarness()
        let connection = harness.open()
        _ = harness.take(connection)
        var request = StartRequest(mode: .direct(personality: "parrot"))
        request.oneShot = true
        harness.perform(harness.hub.messageReceived(connection, .start(request)))
        let started = harness.take(connection)
        guard case .sessionStarted(let start)? = started.first else {
            Issue.record("no session_started: \(started)")
            return
        }
        #expect(start.resumeToken == nil)
        harness.send(connection, .message(session: start.session, text: "count", id: "m1"))
        let frames = harness.take(connection)
        #expect(frames.first == .ack(session: start.session, id: "m1", seq: 1))
        #expect(frames.replyEnds.map(\.finish) == [.stop] && frames.replyText(session: start.session).hasPrefix("one two"))
        #expect(harness.transcripts.sessionCount == 0 && harness.transcripts.transcript(of: start.session).isEmpty)
        harness.perform(harness.hub.connectionClosed(connection))
        #expect(harness.hub.sessionStatus(start.session) == nil, "ended at once, not kept for a resume")
        #expect(harness.transcripts.endedSessionCount == 0)
    }

    @Test("without replay the same question finds no name (the replay is what set it)")
    func withoutReplay() {
        let harness = HubHarness()
        let connection = harness.open()
        _ = harness.take(connection)
        let session = harness.startDirect(connection, "parrot")
        harness.send(connection, .message(session: session, text: "what is my name", id: "m1"))
        #expect(harness.take(connection).replyText(session: session) == "Your name is unknown.")
    }

    @Test("max_tokens lowers the reply cap: the reply ends with finish length after that many tokens")
    func maxTokens() throws {
        let (harness, connection, started) = started(
            StartRequest(mode: .direct(personality: "parrot"), maxReplyTokens: 3))
        let session = try #require(started)
        #expect(harness.hub.sessionStatus(session)?.limits.maxReplyTokens == 3)
        harness.send(connection, .message(session: session, text: "count", id: "m1"))
        let frames = harness.take(connection)
        #expect(frames.replyText(session: session) == "one two")
        #expect(frames.replyEnds.map(\.finish) == [.length] && frames.replyEnds.map(\.tokens) == [3])
    }

    @Test("max_tokens above the personality's own cap leaves the personality's cap in force")
    func maxTokensNeverRaises() throws {
        let (harness, _, started) = started(
            StartRequest(mode: .direct(personality: "parrot"), maxReplyTokens: 10_000))
        let session = try #require(started)
        #expect(harness.hub.sessionStatus(session)?.limits.maxReplyTokens == 100)
    }

    @Test("session status counts replies left, input and reply caps")
    func statusAndHistory() throws {
        let harness = HubHarness()
        let connection = harness.open()
        _ = harness.take(connection)
        let session = harness.startDirect(connection, "parrot")
        #expect(harness.hub.sessionStatus(session)?.limits.responses == 3)
        harness.send(connection, .message(session: session, text: "my name is Ann", id: "m1"))
        harness.send(connection, .message(session: session, text: "count", id: "m2"))
        let status = try #require(harness.hub.sessionStatus(session))
        #expect(status.summary.seq == 4 && status.summary.replies == 2 && status.limits.responses == 1)
        #expect(status.limits.maxInputCharacters == 50)
        #expect(harness.hub.sessionStatus("s0-999") == nil)
    }
}
