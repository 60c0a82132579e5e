import ChatProtocol
import Engines
import PersonaRuntime
import Personality
import Policies
import Testing

/// A personality with a variable and a topic, so a resume after a restart can show both continue.
private let sailor = """
    id: sailor
    name: Sailor
    language: en
    engine: script
    greeting: "Ahoy."
    limits: base
    stream: { tokens_per_second: 0 }
    script:
      rules:
        - match: "my name is *"
          reply: "Aye, {star}."
          set: { name: "{star}" }
        - match: "treasure"
          reply: "To the island!"
          topic: island
        - match: "who am i"
          reply: "Ye be {get name|nobody}."
      topics:
        island:
          inherits: [random]
          rules:
            - match: "where are we"
              reply: "On the island, {get name|nobody}."
      fallback: ["Arr?"]
    """

/// What a client needs to resume: the session and its token.
private struct Resumable {
    var session: String
    var token: String
}

@Suite("resume: a session re-attached on another connection replays what was missed")
struct ResumeTests {
    private func start(_ harness: HubHarness, _ connection: ConnectionID, _ personality: String) -> Resumable {
        harness.send(connection, .start(StartRequest(mode: .direct(personality: personality))))
        for case .sessionStarted(let start) in harness.take(connection) {
            return Resumable(session: start.session, token: start.resumeToken ?? "")
        }
        Issue.record("no session_started")
        return Resumable(session: "", token: "")
    }

    private func say(_ harness: HubHarness, _ connection: ConnectionID, _ session: String, _ text: String, id: String) {
        harness.send(connection, .message(session: session, text: text, id: id))
    }

    /// The (type, seq) of every turn-completing frame: ack, reply_end, partner_message.
    private func turns(_ frames: [ServerMessage]) -> [Int] {
        frames.compactMap { frame in
            switch frame {
            case .ack(_, _, let seq), .replyEnd(_, _, let seq, _, _), .partnerMessage(_, let seq, _): seq
            default: nil
            }
        }
    }

    @Test("a resume at every last_seq of a recorded conversation replays exactly the missing turns")
    func everyLastSeq() {
        let harness = HubHarness()
        let first = harness.open()
        let session = start(harness, first, "parrot")
        say(harness, first, session.session, "my name is Jack", id: "m1")
        say(harness, first, session.session, "count", id: "m2")
        let live = harness.take(first)
        #expect(turns(live) == [1, 2, 3, 4])
        for lastSeq in 0...4 {
            let other = harness.open()
            _ = harness.take(other)
            harness.send(other, .resume(session: session.session, token: session.token, lastSeq: lastSeq))
            let replay = harness.take(other)
            guard case .sessionResumed(let info, let latest) = replay.first else {
                Issue.record("no session_resumed at last_seq \(lastSeq): \(replay)")
                continue
            }
            #expect(info.personality?.id == "parrot")
            #expect(latest == 4)
            #expect(turns(replay) == Array(stride(from: lastSeq + 1, through: 4, by: 1)), "last_seq \(lastSeq)")
            // The replayed frames are the live ones, token for token.
            let liveAfter = live.filter { frame in
                switch frame {
                case .ack(_, _, let seq), .replyEnd(_, _, let seq, _, _): seq > lastSeq
                case .replyStart(_, _, let seq, _): seq > lastSeq
                case .token(_, let reply, _): reply * 2 > lastSeq
                default: false
                }
            }
            #expect(Array(replay.dropFirst()) == liveAfter, "last_seq \(lastSeq)")
        }
    }

    @Test("a second connection takes the session over; the first is told session_detached and refused after")
    func secondConnectionDetachesFirst() {
        let harness = HubHarness()
        let first = harness.open()
        let session = start(harness, first, "parrot")
        let second = harness.open()
        _ = harness.take(second)
        harness.send(second, .resume(session: session.session, token: session.token, lastSeq: 0))
        #expect(harness.take(first) == [.sessionDetached(session: session.session)])
        say(harness, second, session.session, "my name is Ann", id: "a1")
        #expect(Array(harness.take(second)).replyText(session: session.session).hasSuffix("Nice to meet you, Ann!"))
        say(harness, first, session.session, "hello", id: "x")
        #expect(harness.take(first).errors.map(\.code) == [.notYourSession])
    }

    @Test("a reply streaming when the client dropped is delivered in full after the resume")
    func resumeDuringStreaming() {
        let harness = HubHarness()
        let first = harness.open()
        let session = start(harness, first, "snail")
        say(harness, first, session.session, "count", id: "c1")
        harness.advance(by: .milliseconds(150))
        let before = harness.take(first)
        #expect(before.replyText(session: session.session) == "one ")
        harness.perform(harness.hub.connectionClosed(first))
        harness.advance(by: .milliseconds(50))
        let second = harness.open()
        _ = harness.take(second)
        harness.send(second, .resume(session: session.session, token: session.token, lastSeq: 1))
        harness.advance(by: .seconds(1))
        let after = harness.take(second)
        #expect(after.replyText(session: session.session) == "one two three")
        #expect(after.filter { if case .replyEnd = $0 { true } else { false } }.count == 1)
        #expect(turns(after) == [2])
    }

    @Test("a wrong token, an unknown session and an expired one get typed errors")
    func refusals() {
        let harness = HubHarness(configuration: ChatHubConfiguration(resumeWindow: .seconds(60)))
        let first = harness.open()
        let session = start(harness, first, "parrot")
        let other = harness.open()
        _ = harness.take(other)
        harness.send(other, .resume(session: session.session, token: "0123456789abcdef0123456789abcdef", lastSeq: 0))
        harness.send(other, .resume(session: "s0-999", token: session.token, lastSeq: 0))
        #expect(harness.take(other).errors.map(\.code) == [.invalidResumeToken, .unknownSession])
        #expect(harness.take(first).isEmpty, "a failed resume leaves the owner alone")
        harness.perform(harness.hub.connectionClosed(first))
        harness.advance(by: .seconds(61))
        #expect(harness.transcripts.session(session.session)?.endReason == .disconnected)
        harness.send(other, .resume(session: session.session, token: session.token, lastSeq: 0))
        #expect(harness.take(other).errors.map(\.code) == [.sessionExpired])
    }

    @Test("one second inside the resume window the session is still resumable")
    func windowEdge() {
        let harness = HubHarness(configuration: ChatHubConfiguration(resumeWindow: .seconds(60)))
        let first = harness.open()
        let session = start(harness, first, "parrot")
        harness.perform(harness.hub.connectionClosed(first))
        harness.advance(by: .seconds(59))
        let other = harness.open()
        _ = harness.take(other)
        harness.send(other, .resume(session: session.session, token: session.token, lastSeq: 0))
        #expect(harness.take(other).errors.isEmpty)
        harness.advance(by: .seconds(5))
        #expect(harness.transcripts.session(session.session)?.endReason == nil)
    }

    @Test("after a restart the script engine's variables and topic continue")
    func afterRestart() {
        let store = InMemoryTranscriptStore()
        let files = Fixtures.files(extra: [sailor])
        let before = HubHarness(files: files, configuration: ChatHubConfiguration(sessionEpoch: 1), transcripts: { _ in store })
        let first = before.open()
        let session = start(before, first, "sailor")
        say(before, first, session.session, "my name is Jack", id: "m1")
        say(before, first, session.session, "treasure", id: "m2")
        _ = before.take(first)
        // A new hub on the same store: the process restarted.
        let after = HubHarness(files: files, configuration: ChatHubConfiguration(sessionEpoch: 2), transcripts: { _ in store })
        let second = after.open()
        _ = after.take(second)
        after.send(second, .resume(session: session.session, token: session.token, lastSeq: 4))
        let replay = after.take(second)
        #expect(replay.count == 1, "nothing after seq 4 to replay: \(replay)")
        say(after, second, session.session, "where are we", id: "m3")
        #expect(after.take(second).replyText(session: session.session) == "On the island, Jack.")
        #expect(after.hub.counters.adopted == 1)
    }

    @Test("a message the store cannot write is refused store_unavailable and never acked")
    func storeUnavailable() {
        let harness = HubHarness()
        let connection = harness.open()
        let session = start(harness, connection, "parrot")
        harness.transcripts.simulateFailure(StoreFailure("disk full"))
        say(harness, connection, session.session, "my name is Jo", id: "lost")
        let refused = harness.take(connection)
        #expect(refused.errors.map(\.code) == [.storeUnavailable])
        #expect(!refused.contains { if case .ack = $0 { true } else { false } })
        harness.transcripts.simulateFailure(nil)
        say(harness, connection, session.session, "my name is Jo", id: "kept")
        #expect(harness.take(connection).contains(.ack(session: session.session, id: "kept", seq: 2)))
        #expect(harness.transcripts.transcript(of: session.session).map(\.text) == ["my name is Jo", "Nice to meet you, Jo!"])
    }

    @Test("the daily message count survives a restart through the store")
    func dailyQuotaAfterRestart() {
        let store = InMemoryTranscriptStore()
        let limits = Fixtures.limits.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("session_timeout: 2h") ? line + "\n    daily_messages_per_client: 2" : String(line)
        }.joined(separator: "\n")
        let files = Fixtures.files(limits: limits)
        let before = HubHarness(files: files, transcripts: { _ in store })
        let connection = before.open(client: ClientIdentity(key: "k"))
        let session = start(before, connection, "hanna")
        say(before, connection, session.session, "eins", id: "1")
        say(before, connection, session.session, "zwei", id: "2")
        #expect(before.take(connection).errors.isEmpty)
        let day = before.clock.wallMilliseconds() / 86_400_000
        #expect(store.quotas(day: day) == ["k": 2])
        let after = HubHarness(files: files, transcripts: { _ in store })
        after.hub.seedDailyCounts(store.quotas(day: day), day: day)
        let again = after.open(client: ClientIdentity(key: "k"))
        let next = start(after, again, "hanna")
        say(after, again, next.session, "drei", id: "3")
        #expect(after.take(again).errors.map(\.code) == [.limitReached])
    }

    @Test("a resume on another hub of the same process moves the session there, engine state included")
    func acrossHubs() {
        let store = InMemoryTranscriptStore()
        let queue = MatchQueue()
        let one = HubHarness(
            configuration: ChatHubConfiguration(hubIndex: 0, hubCount: 2), matchQueue: queue, transcripts: { _ in store })
        let two = HubHarness(
            configuration: ChatHubConfiguration(hubIndex: 1, hubCount: 2), matchQueue: queue, transcripts: { _ in store })
        let first = one.open()
        let session = start(one, first, "parrot")
        say(one, first, session.session, "my name is Kim", id: "k1")
        _ = one.take(first)
        let second = two.open()
        _ = two.take(second)
        two.send(second, .resume(session: session.session, token: session.token, lastSeq: 2))
        #expect(two.take(second).isEmpty, "waits for hub 0 to let go")
        #expect(two.mail.map(\.hub) == [0])
        for item in two.mail { one.perform(one.hub.mailReceived(item.mail)) }
        two.mail = []
        #expect(one.take(first) == [.sessionDetached(session: session.session)])
        #expect(one.hub.sessionCount == 0)
        for item in one.mail { two.perform(two.hub.mailReceived(item.mail)) }
        let resumed = two.take(second)
        guard case .sessionResumed(_, let latest)? = resumed.first else {
            Issue.record("no session_resumed: \(resumed)")
            return
        }
        #expect(latest == 2)
        say(two, second, session.session, "what is my name", id: "k2")
        #expect(two.take(second).replyText(session: session.session) == "Your name is Kim.")
    }

    @Test("resume_window in limits.yaml overrides the server's default: ended one second past it")
    func windowFromLimits() {
        let limits = Fixtures.limits.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("session_timeout: 2h") ? line + "\n    resume_window: 30s" : String(line)
        }.joined(separator: "\n")
        let harness = HubHarness(files: Fixtures.files(limits: limits))
        let first = harness.open()
        let kept = start(harness, first, "hanna")
        harness.perform(harness.hub.connectionClosed(first))
        harness.advance(by: .seconds(29))
        #expect(harness.transcripts.session(kept.session)?.endReason == nil)
        harness.advance(by: .seconds(2))
        #expect(harness.transcripts.session(kept.session)?.endReason == .disconnected)
    }
}
