import ChatProtocol
import PersonaRuntime
import Policies
import Testing

/// A shared limiter whose decisions the test gives, in order.
private final class FakeSharedLimiter: SharedRateLimiter {
    var checks: [(request: SharedLimitRequest, ticket: StoreTicket)] = []

    func check(_ request: SharedLimitRequest, ticket: StoreTicket) { checks.append((request, ticket)) }

    func decide(
        _ harness: HubHarness, _ decision: RateLimitDecision?, quotaReached: Bool = false,
        personality: RateLimitDecision? = nil
    ) {
        let check = checks.removeFirst()
        harness.perform(
            harness.hub.sharedRateAnswered(
                check.ticket,
                SharedLimitVerdict(
                    rate: decision, dailyQuotaReached: quotaReached, personalityRate: personality)))
    }
}

@Suite("the client rate limit shared by several nodes")
struct SharedRateTests {
    /// A personality with a client rate (the only limit shared across nodes).
    static let metered = """
        id: metered
        name: Metered
        language: en
        engine: script
        limits: { use: base, client_rate: 600/min, client_burst: 100, daily_messages_per_client: 50 }
        stream: { tokens_per_second: 0 }
        script:
          fallback: ["Noted."]
        """

    /// A personality with only a personality-wide rate.
    static let crowded = """
        id: crowded
        name: Crowded
        language: en
        engine: script
        limits: { use: base, personality_rate: 60/min, personality_burst: 5 }
        stream: { tokens_per_second: 0 }
        script:
          fallback: ["Noted."]
        """

    fileprivate func harness(_ personality: String = "metered") -> (
        HubHarness, FakeSharedLimiter, ConnectionID, String
    ) {
        let harness = HubHarness(files: Fixtures.files(extra: [Self.metered, Self.crowded]))
        let limiter = FakeSharedLimiter()
        harness.hub.sharedRateLimiter = limiter
        let connection = harness.open(client: ClientIdentity(key: "10.0.0.7", tier: nil, tenant: "acme"))
        let session = harness.startDirect(connection, personality)
        return (harness, limiter, connection, session)
    }

    @Test(
        "a personality_rate is asked of the shared limiter under the personality's own key, client limits absent"
    )
    func personalityRateAsked() {
        let (harness, limiter, connection, session) = harness("crowded")
        harness.send(connection, .message(session: session, text: "hi", id: "m1"))
        let request = limiter.checks.first?.request
        #expect(request?.personality?.key == "personality:crowded:60/60000000000ns:5")
        #expect(request?.personality?.burst == 5)
        #expect(request?.rate == nil && request?.dailyQuota == nil)
        limiter.decide(harness, nil, personality: .allowed(remaining: 4))
        #expect(harness.take(connection).contains(.ack(session: session, id: "m1", seq: 1)))
    }

    @Test("the personality's budget spent on all nodes: refused rate_limited naming the personality limit")
    func personalityRateLimited() {
        let (harness, limiter, connection, session) = harness("crowded")
        harness.send(connection, .message(session: session, text: "hi", id: "m1"))
        limiter.decide(harness, nil, personality: .limited(retryAfterMilliseconds: 900))
        let errors = harness.take(connection).errors
        #expect(errors.map(\.code) == [.rateLimited])
        #expect(errors.first?.retryAfterMilliseconds == 900)
        #expect(errors.first?.message.contains("personality limit 60/min, all nodes") == true, "\(errors)")
        #expect(harness.transcripts.transcript(of: session).isEmpty)
    }

    @Test("a personality without personality_rate asks for no personality budget")
    func noPersonalityRate() {
        let (harness, limiter, connection, session) = harness()
        harness.send(connection, .message(session: session, text: "hi", id: "m1"))
        #expect(limiter.checks.first?.request.personality == nil)
    }

    @Test("a message waits for the shared verdict: allowed, it is acknowledged and answered")
    func allowed() {
        let (harness, limiter, connection, session) = harness()
        harness.send(connection, .message(session: session, text: "hi", id: "m1"))
        #expect(harness.take(connection).isEmpty, "nothing before the verdict")
        #expect(limiter.checks.first?.request.rate?.key.hasPrefix("client:acme:10.0.0.7:") == true)
        #expect(limiter.checks.first?.request.rate?.burst == 100)
        #expect(limiter.checks.first?.request.dailyQuota?.client == "10.0.0.7")
        #expect(limiter.checks.first?.request.dailyQuota?.maximum == 50)
        limiter.decide(harness, .allowed(remaining: 3))
        let frames = harness.take(connection)
        #expect(frames.contains(.ack(session: session, id: "m1", seq: 1)))
        #expect(!frames.replyText(session: session).isEmpty)
    }

    @Test("limited by the shared budget: refused rate_limited with the retry time, nothing stored")
    func limited() {
        let (harness, limiter, connection, session) = harness()
        harness.send(connection, .message(session: session, text: "hi", id: "m1"))
        limiter.decide(harness, .limited(retryAfterMilliseconds: 1_234))
        let errors = harness.take(connection).errors
        #expect(errors.map(\.code) == [.rateLimited])
        #expect(errors.first?.retryAfterMilliseconds == 1_234)
        #expect(errors.first?.ref == "m1")
        #expect(harness.transcripts.transcript(of: session).isEmpty)
        #expect(harness.hub.counters.rateLimited == 1)
    }

    @Test(
        "the daily count full on all nodes together: refused limit_reached until UTC midnight, nothing stored"
    )
    func dailyQuotaReached() {
        let (harness, limiter, connection, session) = harness()
        harness.send(connection, .message(session: session, text: "hi", id: "m1"))
        limiter.decide(harness, .allowed(remaining: 5), quotaReached: true)
        let errors = harness.take(connection).errors
        #expect(errors.map(\.code) == [.limitReached])
        #expect(errors.first?.message.contains("(all nodes)") == true)
        let wall = harness.clock.wallMilliseconds()
        #expect(errors.first?.retryAfterMilliseconds == (wall / 86_400_000 + 1) * 86_400_000 - wall)
        #expect(harness.transcripts.transcript(of: session).isEmpty)
    }

    @Test("a limiter that cannot decide lets the message through on the hub's own limits")
    func undecided() {
        let (harness, limiter, connection, session) = harness()
        harness.send(connection, .message(session: session, text: "hi", id: "m1"))
        limiter.decide(harness, nil)
        #expect(harness.take(connection).contains(.ack(session: session, id: "m1", seq: 1)))
    }

    @Test(
        "messages waiting for the verdict hold their place: answered in order, the one past the queue is busy"
    )
    func orderAndBusy() {
        let (harness, limiter, connection, session) = harness()
        for n in 1...5 { harness.send(connection, .message(session: session, text: "m\(n)", id: "m\(n)")) }
        #expect(
            harness.take(connection).errors.map(\.code) == [.busy],
            "4 wait (max_queued_messages), the 5th is busy")
        for _ in 1...4 { limiter.decide(harness, .allowed(remaining: 1)) }
        let acks = harness.take(connection).compactMap { if case .ack(_, let id, _) = $0 { id } else { nil } }
        #expect(acks == ["m1", "m2", "m3", "m4"])
    }

    @Test("a session ended while its message waits: the late verdict answers session_not_active")
    func endedWhileWaiting() {
        let (harness, limiter, connection, session) = harness()
        harness.send(connection, .message(session: session, text: "hi", id: "m1"))
        harness.send(connection, .end(session: session))
        _ = harness.take(connection)
        limiter.decide(harness, .allowed(remaining: 1))
        #expect(harness.transcript(of: session).isEmpty)
    }
}

extension HubHarness {
    fileprivate func transcript(of session: String) -> [TranscriptEntry] {
        transcripts.transcript(of: session)
    }
}
