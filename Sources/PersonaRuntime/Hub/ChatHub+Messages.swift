import ChatProtocol
import Engines
import Personality
import Policies

extension ChatHub {
    /// Dispatches one decoded client message.
    func handle(_ message: ClientMessage, from connection: ConnectionID, now: PolicyInstant) {
        switch message {
        case .ping(let id):
            send(connection, .pong(id: id))
        case .start(let request):
            start(request, connection: connection, now: now)
        case .message(let id, let text, let messageID):
            guard let session = ownedSession(id, connection: connection, ref: messageID) else { return }
            guard session.state == .active else {
                if session.state == .ending(.limitReached) {
                    counters.limitReached += 1
                    return refuse(
                        connection, .limitReached,
                        "this session has had its last reply; it ends when that reply does", ref: messageID,
                        session: id)
                }
                return refuse(
                    connection, .sessionNotActive, "the session is not active", ref: messageID, session: id)
            }
            if session.bot != nil {
                botMessage(session, text: text, id: messageID, now: now)
            } else {
                humanMessage(session, text: text, id: messageID, now: now)
            }
        case .typing(let id, let on):
            guard let session = ownedSession(id, connection: connection, ref: nil) else { return }
            guard session.state == .active else {
                return refuse(connection, .sessionNotActive, "the session is not active", session: id)
            }
            // Typing in a bot session has nobody to tell; it is accepted and dropped.
            if let partner = session.partner { relayTyping(to: partner, on: on, now: now) }
        case .cancel(let id):
            guard let session = ownedSession(id, connection: connection, ref: nil) else { return }
            // Cancel with nothing streaming is not an error: the reply may have ended while
            // the cancel was in flight.
            if let reply = session.reply {
                finishReply(session, reply, finish: .cancelled, now: now)
            } else if session.awaitingCommit > 0 {
                // The reply to a message still being stored has not started: cancel it as it does.
                session.cancelNextReply = true
            }
        case .end(let id):
            guard let session = ownedSession(id, connection: connection, ref: nil) else { return }
            endSession(session, reason: .user, now: now)
        case .next(let id, let want):
            next(after: id, want: want, connection: connection, now: now)
        case .resume(let id, let token, let lastSeq):
            resume(id, token: token, lastSeq: lastSeq, connection: connection, now: now)
        }
    }

    /// The session `id` if it exists and belongs to `connection`; otherwise refuses and returns nil.
    func ownedSession(_ id: String, connection: ConnectionID, ref: String?) -> ChatSession? {
        if let session = sessions[id] {
            guard session.connection == connection else {
                refuse(
                    connection, .notYourSession, "session '\(id)' belongs to another connection", ref: ref,
                    session: id)
                return nil
            }
            return session
        }
        if connections[connection]?.remembered.contains(where: { $0.id == id }) == true {
            refuse(connection, .sessionNotActive, "session '\(id)' has ended", ref: ref, session: id)
        } else {
            refuse(connection, .unknownSession, "no session '\(id)'", ref: ref, session: id)
        }
        return nil
    }

    // MARK: The pipeline (DESIGN §5)

    /// A message for a bot: size → rate → response limits → scrub → transcript → ack → reply
    /// (now, or queued behind the reply being streamed).
    func botMessage(_ session: ChatSession, text: String, id: String, now: PolicyInstant) {
        guard let bot = session.bot else { return }
        let limits = session.limits
        guard checkSize(session, text: text, id: id, limits: limits) else { return }
        let waiting = session.queue.count + session.awaitingCommit
        if session.reply != nil || session.awaitingCommit > 0, waiting >= configuration.maxQueuedMessages {
            return refuse(
                session.connection, .busy,
                "\(waiting) messages are already waiting for the reply in progress",
                ref: id, session: session.id)
        }
        guard checkRates(session, id: id, limits: limits, personality: bot.personality.id, now: now) else {
            return
        }
        // With a limiter shared by several nodes, the message waits for its verdict.
        if askSharedRate(session, text: text, id: id, limits: limits) { return }
        botMessageAdmitted(session, text: text, id: id, now: now)
    }

    /// The rest of ``botMessage(_:text:id:now:)`` once the rate limits let the message through:
    /// daily quota → response limits → scrub → transcript.
    func botMessageAdmitted(_ session: ChatSession, text: String, id: String, now: PolicyInstant) {
        guard let bot = session.bot else { return }
        let limits = session.limits
        guard checkDailyQuota(session, id: id, limits: limits) else { return }
        // Replies this session has started or owes (streaming, queued, and awaiting the store).
        let owed = session.replyCount + session.queue.count + session.awaitingCommit
        if let maximum = limits.responsesPerSession, owed >= maximum {
            // In farewell mode only reachable when a reload lowered the limit below what the
            // session has had: the message is refused and the session ends once settled.
            counters.limitReached += 1
            refuse(
                session.connection, .limitReached, "this session has had its \(maximum) replies", ref: id,
                session: session.id)
            if limits.onLimit != .error {
                session.state = .ending(.limitReached)
                endIfSettled(session, now: now)
            }
            return
        }
        guard let scrubbed = scrubInbound(session, text: text, id: id, pii: bot.personality.pii)
        else { return }
        if let maximum = limits.responsesPerSession, limits.onLimit != .error, owed + 1 >= maximum {
            // This message earns the last allowed reply: the farewell and `limit_reached` follow
            // that reply at once, and messages sent meanwhile are refused with `limit_reached`.
            // Set before the write, which an in-memory store answers (and the reply starts) at once.
            counters.limitReached += 1
            session.state = .ending(.limitReached)
        }
        // Acked, then answered (now or after the reply in flight) once the turn is stored.
        accept(session, text: scrubbed, id: id, now: now)
    }

    /// A message for a human partner: size → rate → scrub → transcript → ack → relay.
    func humanMessage(_ session: ChatSession, text: String, id: String, now: PolicyInstant) {
        guard let partner = session.partner else { return }
        let limits = session.limits
        guard checkSize(session, text: text, id: id, limits: limits) else { return }
        guard checkRates(session, id: id, limits: limits, personality: nil, now: now) else { return }
        _ = partner
        if askSharedRate(session, text: text, id: id, limits: limits) { return }
        humanMessageAdmitted(session, text: text, id: id, now: now)
    }

    /// The rest of ``humanMessage(_:text:id:now:)`` once the rate limits let the message
    /// through: daily quota → scrub → transcript.
    func humanMessageAdmitted(_ session: ChatSession, text: String, id: String, now: PolicyInstant) {
        guard session.partner != nil else { return }
        guard checkDailyQuota(session, id: id, limits: session.limits) else { return }
        guard let scrubbed = scrubInbound(session, text: text, id: id, pii: PIISettings())
        else { return }
        accept(session, text: scrubbed, id: id, now: now)
    }

    /// Writes an accepted message's turn (with the client's daily count); the ack, and the
    /// reply or relay, follow when the store has committed it (``completeWrite(_:_:now:)``).
    func accept(_ session: ChatSession, text: String, id: String, now: PolicyInstant) {
        session.seq += 1
        session.lastActivity = now
        session.awaitingCommit += 1
        counters.messagesIn += 1
        var records: [StoreRecord] = [
            .turn(StoredTurn(session: session.id, seq: session.seq, role: .user, text: text, ref: id, atMilliseconds: wallNow))
        ]
        // The daily count is written every 8th message and on each of the last 8 before the
        // limit: a killed process forgets at most 7 of a client's messages, not one write per message.
        if let maximum = session.limits.dailyMessagesPerClient, let count = dailyCounts[session.client.key],
            count.count % 8 == 0 || count.count + 8 >= maximum
        {
            records.append(.quota(client: session.client.key, day: count.day, count: count.count))
        }
        let accepted = AcceptedMessage(
            session: session.id, connection: session.connection, id: id, seq: session.seq, text: text,
            acceptedAt: now)
        if session.oneShot {
            // No turn to wait for: only the daily count is written, and the message goes on at once.
            records.removeFirst()
            if !records.isEmpty { store(records, .record, now: now) }
            return completeWrite(.message(accepted), .success(()), now: now)
        }
        if let partner = session.partner, partner.hub != configuration.hubIndex {
            // A partner on another hub: a store that can (Redis, another node) relays with the write.
            return store(
                records, .message(accepted), now: now,
                carrying: (.relay(session: partner.session, text: text), partner.hub))
        }
        store(records, .message(accepted), now: now)
    }

    func checkSize(_ session: ChatSession, text: String, id: String, limits: LimitValues) -> Bool {
        if text.isEmpty {
            refuse(
                session.connection, .invalidField, "'text' must not be empty", ref: id, session: session.id)
            return false
        }
        if let maximum = limits.maxInputCharacters {
            // Counting characters is O(n); the byte count bounds it cheaply first (a
            // character is at least one byte).
            if text.utf8.count > maximum, text.count > maximum {
                refuse(
                    session.connection, .messageTooLarge, "message is longer than \(maximum) characters",
                    ref: id,
                    session: session.id)
                return false
            }
        }
        return true
    }

    /// Session, then client, then personality: the most specific limiter first, so a session
    /// over its own rate does not spend its client's allowance. (A message refused by a later
    /// limiter has spent the earlier ones'; GCRA cannot ask without spending.)
    func checkRates(
        _ session: ChatSession, id: String, limits: LimitValues, personality: String?, now: PolicyInstant
    ) -> Bool {
        var checks: [(LimiterKey.Scope, Rate?, Int?, String)] = [
            (.session, limits.sessionRate, limits.sessionBurst, session.id),
            (.client, limits.clientRate, limits.clientBurst, session.client.key),
        ]
        if let personality {
            checks.append((.personality, limits.personalityRate, limits.personalityBurst, personality))
        }
        for (scope, spec, burst, key) in checks {
            guard let rate = spec else { continue }
            let limiterKey = LimiterKey(
                scope: scope, count: rate.count,
                periodNanoseconds: PolicyInstant.zero.advanced(by: rate.period).nanoseconds,
                burst: burst ?? 1)
            var limiter =
                rateLimiters.removeValue(forKey: limiterKey)
                ?? KeyedRateLimiter(
                    configuration: RateLimitConfiguration(
                        rate: rate, burst: burst ?? 1, maxKeys: configuration.maxRateLimiterKeys))
            let decision = limiter.decide(key: key, now: now)
            rateLimiters[limiterKey] = limiter
            switch decision {
            case .allowed: continue
            case .limited(let retry):
                counters.rateLimited += 1
                refuse(
                    session.connection, .rateLimited, "too many messages (\(scopeName(scope)) limit \(rate))",
                    ref: id,
                    session: session.id, retryAfter: retry)
                return false
            case .exceedsBurst:
                counters.rateLimited += 1
                refuse(
                    session.connection, .rateLimited, "too many messages (\(scopeName(scope)) limit \(rate))",
                    ref: id, session: session.id)
                return false
            }
        }
        return true
    }

    private func scopeName(_ scope: LimiterKey.Scope) -> String {
        switch scope {
        case .client: "client"
        case .session: "session"
        case .personality: "personality"
        }
    }

    /// `daily_messages_per_client`, reset at UTC midnight; refused with `limit_reached` and the
    /// time to midnight, whatever `on_limit` says (a day's quota cannot end with a farewell).
    func checkDailyQuota(_ session: ChatSession, id: String, limits: LimitValues) -> Bool {
        guard let maximum = limits.dailyMessagesPerClient else { return true }
        let millisecondsPerDay: Int64 = 86_400_000
        let wall = clock.wallMilliseconds()
        let day = wall / millisecondsPerDay
        var entry = dailyCounts[session.client.key] ?? DailyCount(day: day, count: 0)
        if entry.day != day { entry = DailyCount(day: day, count: 0) }
        guard entry.count < maximum else {
            counters.limitReached += 1
            refuse(
                session.connection, .limitReached, "the daily limit of \(maximum) messages is reached",
                ref: id,
                session: session.id, retryAfter: (day + 1) * millisecondsPerDay - wall)
            return false
        }
        entry.count += 1
        if dailyCounts[session.client.key] == nil, dailyCounts.count >= configuration.maxQuotaClients {
            dailyCounts = dailyCounts.filter { $0.value.day == day }
            guard dailyCounts.count < configuration.maxQuotaClients else { return true }
        }
        dailyCounts[session.client.key] = entry
        return true
    }

    /// The message with PII replaced, or `nil` after refusing it: a message the scrubber
    /// cannot handle is refused, never passed through.
    func scrubInbound(_ session: ChatSession, text: String, id: String, pii: PIISettings) -> String? {
        var scrubber =
            inboundScrubbers.removeValue(forKey: pii)
            ?? Scrubber(configuration: Self.scrubberConfiguration(pii))
        defer { inboundScrubbers[pii] = scrubber }
        let before = scrubber.counters
        do {
            let scrubbed = try scrubber.scrub(text, session: &session.scrubSession)
            Self.addDifference(scrubber.counters, since: before, to: &counters.redactionsInbound)
            return scrubbed
        } catch {
            refuse(session.connection, .messageTooLarge, error.description, ref: id, session: session.id)
            return nil
        }
    }

    /// The scrubber settings for a personality's `pii:` section: the `replace` template (`{n}`
    /// asks for stable per-session placeholders, anything else is a label template) and the
    /// `types` scrubbed (the scrubber's defaults when unset).
    static func scrubberConfiguration(_ pii: PIISettings) -> ScrubberConfiguration {
        let template = pii.replace
        return ScrubberConfiguration(
            replacement: template.contains("{n}") ? .placeholder : .label(template: template),
            types: pii.types ?? PIIType.defaultTypes)
    }

    static func addDifference(
        _ after: RedactionCounters, since before: RedactionCounters, to total: inout RedactionCounters
    ) {
        guard after.total != before.total else { return }
        for type in PIIType.allCases {
            for _ in 0..<(after[type] - before[type]) { total.count(type) }
        }
    }
}
