import ChatChaos
import ChatProtocol
import Foundation
import PersonaRuntime
import Personality
import Testing

/// Seeds and sizes of the in-suite chaos runs. `PERSONA_CHAOS_SEED` (a list: `7,8,9`),
/// `PERSONA_CHAOS_STEPS` and `PERSONA_CHAOS_USERS` make a long run with any seed.
enum ChaosSettings {
    static let environment = ProcessInfo.processInfo.environment
    static let seeds: [UInt64] =
        environment["PERSONA_CHAOS_SEED"].map { $0.split(separator: ",").compactMap { UInt64($0) } }
        ?? [1, 2, 3, 4, 5, 6]
    static let steps = environment["PERSONA_CHAOS_STEPS"].flatMap(Int.init) ?? 3_000
    static let users = environment["PERSONA_CHAOS_USERS"].flatMap(Int.init) ?? 40

    /// The fixtures, and a second registry a reload swaps in: Polly changes (a new version),
    /// the snail is removed (its sessions end `personality_removed`).
    static let snapshots: [RegistrySnapshot] = [
        HubHarness.snapshot(Fixtures.files()),
        HubHarness.snapshot(
            Fixtures.files(parrot: Fixtures.parrot.replacing("Squawk! Hello!", with: "Squawk! Hello again!"))
                .filter { $0.name != "snail.yaml" }),
    ]

    static func plan(seed: UInt64) -> ChaosRun.Plan {
        ChaosRun.Plan(
            seed: seed, steps: steps,
            model: ChaosModel.Configuration(
                users: users, personalities: ["parrot", "snail", "hanna", "ada"], inputLimits: [50, 2_000],
                hubs: 2),
            snapshots: snapshots, hub: ChatHubConfiguration(maxQueuedMessages: 2, seed: seed),
            ending: seed % 2 == 0 ? .drain : .leave)
    }
}

@Suite("Protocol chaos: seeded virtual users against two hubs")
struct ChaosTests {
    @Test(
        "seeded virtual users connect, chat, cancel, end, flood and misbehave across two hubs, and every invariant holds",
        arguments: ChaosSettings.seeds)
    func chaos(seed: UInt64) {
        let run = ChaosRun(ChaosSettings.plan(seed: seed))
        if !run.outcome.violations.isEmpty { Issue.record(Comment(rawValue: run.report)) }
        // The run did what it claims: sessions of both kinds, messages, and every way to end.
        #expect(run.outcome.sessions > 50 && run.outcome.humanSessions > 0 && run.outcome.messages > 300)
        #expect(run.outcome.framesSent > 1_000 && run.outcome.framesReceived > 1_000)
    }

    @Test("the invariants, as the chaos checker states them")
    func invariantsReadAsSentences() {
        #expect(
            ChaosInvariant.allCases.map(\.rawValue) == [
                "every server frame decodes as a protocol message",
                "every connection is greeted with one welcome before anything else",
                "no two open connections share a connection id",
                "every client message gets exactly one ack or one error carrying its ref",
                "a reply's tokens are followed by exactly one reply_end whose count matches",
                "seq strictly increases per session (acks among themselves, since an ack waits for the store) and is never reused",
                "no frame for a session arrives after its session_ended",
                "partner messages arrive only in human sessions and always from the matched partner",
                "nothing from another user's session ever arrives",
                "on shutdown every human session ends with shutdown (both sides of a pair) and every connection is closed with 1001",
                "after all clients leave, connection and session gauges return to zero and no session is listed",
            ])
    }

    /// Hand-made frame sequences that break one invariant each.
    enum Breach: String, CaseIterable, Sendable {
        case unansweredMessage, answeredTwice, tokenCountWrong, tokenOutsideReply, seqGoesBack, frameAfterEnd
        case foreignSession, partnerInBotSession, partnerFromStranger, secondWelcome, sharedConnectionID
        case partnerLeftOnShutdown
    }

    @Test("the checker catches each broken invariant", arguments: Breach.allCases)
    func checkerCatches(_ breach: Breach) {
        let checker = ChaosChecker()
        let welcome = { (id: String) in
            ServerMessage.welcome(
                connection: id, protocolVersion: 1, heartbeatMilliseconds: 30_000,
                limits: ConnectionLimits(maxFrameBytes: 65_536, maxSessions: 16, maxQueuedMessages: 4))
        }
        checker.opened(0, user: 0)
        checker.opened(1, user: 1)
        checker.received(welcome("c1"), link: 0)
        checker.received(welcome("c2"), link: 1)
        let bot = SessionStart(
            session: "s0-1", kind: .bot, personality: PersonalityInfo(id: "p", name: "P", version: "1"))
        checker.received(.sessionStarted(bot), link: 0)
        let expected: ChaosInvariant
        switch breach {
        case .unansweredMessage:
            _ = checker.send(.message(.own(0), text: "hi", id: "m1"), link: 0)
            _ = checker.send(.ping("p1"), link: 0)
            // A message sent after the ping may still be unanswered when the pong arrives.
            _ = checker.send(.message(.own(0), text: "later", id: "m2"), link: 0)
            checker.received(.pong(id: "p1"), link: 0)
            expected = .oneAnswerPerMessage
        case .answeredTwice:
            _ = checker.send(.message(.own(0), text: "hi", id: "m1"), link: 0)
            checker.received(.ack(session: "s0-1", id: "m1", seq: 1), link: 0)
            checker.received(
                .error(ErrorReport(code: .busy, message: "busy", ref: "m1", session: "s0-1")), link: 0)
            expected = .oneAnswerPerMessage
        case .tokenCountWrong:
            checker.received(.replyStart(session: "s0-1", reply: 1, seq: 2, ref: "m1"), link: 0)
            checker.received(.token(session: "s0-1", reply: 1, delta: "a"), link: 0)
            checker.received(.replyEnd(session: "s0-1", reply: 1, seq: 2, tokens: 2, finish: .stop), link: 0)
            expected = .replyFraming
        case .tokenOutsideReply:
            checker.received(.token(session: "s0-1", reply: 1, delta: "a"), link: 0)
            expected = .replyFraming
        case .seqGoesBack:
            checker.received(.replyStart(session: "s0-1", reply: 1, seq: 2, ref: "m1"), link: 0)
            checker.received(.replyEnd(session: "s0-1", reply: 1, seq: 2, tokens: 0, finish: .stop), link: 0)
            checker.received(.replyStart(session: "s0-1", reply: 2, seq: 2, ref: "m2"), link: 0)
            expected = .seqIncreases
        case .frameAfterEnd:
            checker.received(.sessionEnded(session: "s0-1", reason: .user, farewell: nil), link: 0)
            checker.received(.replyStart(session: "s0-1", reply: 1, seq: 1, ref: "m1"), link: 0)
            expected = .silenceAfterEnd
        case .foreignSession:
            checker.received(.token(session: "s0-1", reply: 1, delta: "a"), link: 1)
            expected = .noCrossTalk
        case .partnerInBotSession:
            checker.received(.partnerMessage(session: "s0-1", seq: 1, text: "hi"), link: 0)
            expected = .partnerFromPartner
        case .partnerFromStranger:
            checker.opened(2, user: 2)
            checker.received(welcome("c3"), link: 2)
            for (link, session) in [(1, "s0-2"), (2, "s0-3")] {
                checker.received(.sessionStarted(SessionStart(session: session, kind: .human)), link: link)
            }
            checker.received(.sessionStarted(SessionStart(session: "s0-4", kind: .human)), link: 0)
            _ = checker.send(.message(.own(0), text: "~ab~ hello", id: "m1"), link: 1)
            checker.received(.ack(session: "s0-2", id: "m1", seq: 1), link: 1)
            _ = checker.send(.message(.own(0), text: "~cd~ hello", id: "m2"), link: 2)
            checker.received(.ack(session: "s0-3", id: "m2", seq: 1), link: 2)
            checker.received(.partnerMessage(session: "s0-4", seq: 1, text: "~ab~ hello"), link: 0)
            checker.received(.partnerMessage(session: "s0-4", seq: 2, text: "~cd~ hello"), link: 0)
            expected = .partnerFromPartner
        case .secondWelcome:
            checker.received(welcome("c1"), link: 0)
            expected = .welcomeFirst
        case .sharedConnectionID:
            checker.opened(2, user: 2)
            checker.received(welcome("c2"), link: 2)
            expected = .uniqueConnectionIDs
        case .partnerLeftOnShutdown:
            checker.received(.sessionStarted(SessionStart(session: "s0-2", kind: .human)), link: 1)
            checker.drainBegan()
            checker.received(.sessionEnded(session: "s0-2", reason: .partnerLeft, farewell: nil), link: 1)
            expected = .shutdownRule
        }
        #expect(checker.violations.map(\.invariant) == [expected], "\(checker.violations)")
    }

    @Test("the shrinker cuts a failing list down to the actions that matter")
    func shrinkerFindsTheCulprits() {
        let actions = Array(0..<500)
        var runs = 0
        let shrunk = ChaosShrinker.shrink(actions) { candidate in
            runs += 1
            return candidate.contains(17) && candidate.contains(342)
        }
        #expect(shrunk == [17, 342])
        #expect(runs <= 400)
    }

    @Test("a run's actions follow from its seed alone")
    func deterministic() {
        let plan = ChaosSettings.plan(seed: 42)
        #expect(ChaosRun.actions(for: plan) == ChaosRun.actions(for: plan))
        #expect(ChaosRun.actions(for: plan) != ChaosRun.actions(for: ChaosSettings.plan(seed: 43)))
    }
}
