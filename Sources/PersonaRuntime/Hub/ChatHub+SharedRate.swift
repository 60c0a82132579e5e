import ChatProtocol
import Personality
import Policies

/// A message waiting for the shared rate limiter's verdict.
struct SharedRateWait {
    var session: String
    var text: String
    var id: String
}

/// The limits shared by several nodes (README → "Several nodes (Redis)"): a client that
/// reconnects to another node, or floods several at once, spends one rate budget and one
/// daily count; a personality's `personality_rate` is one budget for all its clients on all
/// nodes. After the hub's own limiters let a message through, it waits for one check of
/// the client's rate and daily count in the shared limiter (counted like a message awaiting its
/// commit: it holds a place in the queue and the session does not end under it), then goes on —
/// or is refused `rate_limited` with `retry_after_ms`, or `limit_reached` with the time to UTC
/// midnight when the daily count is full on all nodes together. What the limiter cannot decide
/// (Redis down) goes through: the hub's own limiters still apply.
extension ChatHub {
    /// Asks the shared limiter about the client's rate; true when the message now waits.
    func askSharedRate(_ session: ChatSession, text: String, id: String, limits: LimitValues) -> Bool {
        let personality = session.bot.flatMap { bot in
            limits.personalityRate.map {
                (id: bot.personality.id, rate: $0, burst: limits.personalityBurst ?? 1)
            }
        }
        guard let limiter = sharedRateLimiter,
            limits.clientRate != nil || limits.dailyMessagesPerClient != nil || personality != nil
        else { return false }
        let burst = limits.clientBurst ?? 1
        let request = SharedLimitRequest(
            rate: limits.clientRate.map {
                SharedClientRate(
                    key: Self.sharedRateKey(session.client, rate: $0, burst: burst), rate: $0, burst: burst)
            },
            dailyQuota: limits.dailyMessagesPerClient.map {
                SharedDailyQuota(
                    client: session.client.key, day: clock.wallMilliseconds() / 86_400_000, maximum: $0)
            },
            personality: personality.map {
                SharedClientRate(
                    key: Self.sharedPersonalityRateKey($0.id, rate: $0.rate, burst: $0.burst), rate: $0.rate,
                    burst: $0.burst)
            })
        nextTicket += 1
        let ticket = StoreTicket(nextTicket)
        pendingSharedRates[ticket] = SharedRateWait(session: session.id, text: text, id: id)
        session.awaitingCommit += 1
        limiter.check(request, ticket: ticket)
        return true
    }

    /// The shared limits' verdict on the message checked with `ticket`.
    public func sharedRateAnswered(_ ticket: StoreTicket, _ verdict: SharedLimitVerdict) -> [HubAction] {
        run { now in
            guard let wait = pendingSharedRates.removeValue(forKey: ticket),
                let session = sessions[wait.session]
            else { return }
            session.awaitingCommit -= 1
            defer { if session.awaitingCommit == 0 { session.cancelNextReply = false } }
            guard session.state == .active else {
                if session.state == .ending(.limitReached) {
                    counters.limitReached += 1
                    refuse(
                        session.connection, .limitReached,
                        "this session has had its last reply; it ends when that reply does", ref: wait.id,
                        session: session.id)
                } else {
                    refuse(
                        session.connection, .sessionNotActive, "the session is not active", ref: wait.id,
                        session: session.id)
                }
                return endIfSettled(session, now: now)
            }
            if refusedByRate(verdict.rate, "client", session.limits.clientRate, session: session, ref: wait.id)
                || refusedByRate(
                    verdict.personalityRate, "personality", session.limits.personalityRate, session: session,
                    ref: wait.id)
            {
                return
            }
            if verdict.dailyQuotaReached, let maximum = session.limits.dailyMessagesPerClient {
                counters.limitReached += 1
                let wall = clock.wallMilliseconds()
                return refuse(
                    session.connection, .limitReached,
                    "the daily limit of \(maximum) messages is reached (all nodes)",
                    ref: wait.id, session: session.id,
                    retryAfter: (wall / 86_400_000 + 1) * 86_400_000 - wall)
            }
            if session.bot != nil {
                botMessageAdmitted(session, text: wait.text, id: wait.id, now: now)
            } else {
                humanMessageAdmitted(session, text: wait.text, id: wait.id, now: now)
            }
        }
    }

    /// Refuses the message `rate_limited` when the shared `scope` limit (client or
    /// personality) said no; true when it did.
    private func refusedByRate(
        _ decision: RateLimitDecision?, _ scope: String, _ rate: Rate?, session: ChatSession, ref: String
    ) -> Bool {
        switch decision {
        case .limited(let retry)?:
            counters.rateLimited += 1
            let limit = rate.map { " \($0)" } ?? ""
            refuse(
                session.connection, .rateLimited, "too many messages (\(scope) limit\(limit), all nodes)", ref: ref,
                session: session.id, retryAfter: retry)
            return true
        case .exceedsBurst?:
            counters.rateLimited += 1
            refuse(
                session.connection, .rateLimited, "too many messages (\(scope) limit, all nodes)", ref: ref,
                session: session.id)
            return true
        case .allowed?, nil:
            return false
        }
    }

    /// The shared key of a personality's own limit (`personality_rate`, over all its clients
    /// on every node): the personality id and the limit itself.
    package static func sharedPersonalityRateKey(_ personality: String, rate: Rate, burst: Int) -> String {
        let period = PolicyInstant.zero.advanced(by: rate.period).nanoseconds
        return "personality:\(personality):\(rate.count)/\(period)ns:\(burst)"
    }

    /// The shared key of a client's limit: tenant and client key, and the limit itself (two
    /// limit sets with different rates keep separate budgets, as the hub's own limiters do).
    package static func sharedRateKey(_ client: ClientIdentity, rate: Rate, burst: Int) -> String {
        let period = PolicyInstant.zero.advanced(by: rate.period).nanoseconds
        return "client:\(client.tenant ?? "-"):\(client.key):\(rate.count)/\(period)ns:\(burst)"
    }
}
