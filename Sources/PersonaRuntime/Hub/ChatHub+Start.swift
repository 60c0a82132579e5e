import ChatProtocol
import Diagnostics
import Engines
import Personality
import Policies

extension ChatHub {
    /// `start`: a direct session starts at once; a random one looks for a human partner first
    /// (when routing says so), else falls back to a personality.
    func start(_ request: StartRequest, connection: ConnectionID, now: PolicyInstant) {
        guard let state = connections[connection] else { return }
        if draining {
            return refuse(connection, .shuttingDown, "the server is shutting down", ref: request.sessionRef)
        }
        guard state.sessions.count < configuration.maxSessionsPerConnection else {
            return refuse(
                connection, .tooManySessions,
                "a connection may hold \(configuration.maxSessionsPerConnection) sessions",
                ref: request.sessionRef)
        }
        switch request.mode {
        case .direct(let id):
            guard let personality = snapshot.personality(id), state.client.mayUse(id) else {
                let allowed = snapshot.ids.filter { state.client.mayUse($0) }
                let hint = Suggestion.didYouMean(id, among: allowed)
                return refuse(
                    connection, .unknownPersonality, "no personality '\(id)'" + (hint.isEmpty ? "" : "; \(hint)"),
                    ref: request.sessionRef)
            }
            let session = newSession(
                connection: connection, client: state.client, sessionRef: request.sessionRef, filters: nil,
                now: now)
            session.replyTokenCap = request.maxReplyTokens
            session.oneShot = request.oneShot
            activateBot(session, personality: personality, now: now)
            replay(request.replay, in: session)
        case .random(let filters):
            let session = newSession(
                connection: connection, client: state.client, sessionRef: request.sessionRef,
                filters: filters, now: now)
            session.replyTokenCap = request.maxReplyTokens
            seekPartner(session, humansFirst: snapshot.routing.humansFirst, now: now)
        }
    }

    /// `next` after a random or human session ended: a new random session with the same filters.
    func next(after id: String, want: PartnerPreference, connection: ConnectionID, now: PolicyInstant) {
        if let session = sessions[id] {
            if session.connection != connection {
                return refuse(
                    connection, .notYourSession, "session '\(id)' belongs to another connection", session: id)
            }
            return refuse(
                connection, .sessionNotActive, "session '\(id)' has not ended; send 'end' first", session: id)
        }
        guard let state = connections[connection],
            let previous = state.remembered.first(where: { $0.id == id })
        else {
            return refuse(
                connection, .unknownSession, "no ended session '\(id)' on this connection", session: id)
        }
        guard previous.wasRandom else {
            return refuse(
                connection, .sessionNotActive, "'next' follows a random session; start a new one instead",
                session: id)
        }
        if draining { return refuse(connection, .shuttingDown, "the server is shutting down", session: id) }
        guard state.sessions.count < configuration.maxSessionsPerConnection else {
            return refuse(
                connection, .tooManySessions,
                "a connection may hold \(configuration.maxSessionsPerConnection) sessions", session: id)
        }
        let session = newSession(
            connection: connection, client: state.client, sessionRef: nil,
            filters: previous.filters ?? RandomFilters(), now: now)
        seekPartner(session, humansFirst: want == .partner && snapshot.routing.humansFirst, now: now)
    }

    func newSession(
        connection: ConnectionID, client: ClientIdentity, sessionRef: String?, filters: RandomFilters?,
        now: PolicyInstant
    ) -> ChatSession {
        nextSession += 1
        let id =
            configuration.sessionEpoch.map { "s\(configuration.hubIndex)-\($0)-\(nextSession)" }
            ?? "s\(configuration.hubIndex)-\(nextSession)"
        let session = ChatSession(
            id: id, connection: connection, client: client, sessionRef: sessionRef, filters: filters,
            now: now,
            limits: configuration.humanLimits)
        sessions[id] = session
        connections[connection]?.sessions.append(id)
        return session
    }

    /// Pairs with the longest-waiting compatible human, or waits (`matching`) until the
    /// routing timeout, or falls back at once when humans are not tried first.
    func seekPartner(_ session: ChatSession, humansFirst: Bool, now: PolicyInstant) {
        var filters = session.filters ?? RandomFilters()
        // A key's tenant decides whom its clients may meet, whatever the filters say.
        if let tenant = session.client.tenant { filters.tenant = tenant }
        guard humansFirst else { return fallBack(session, now: now) }
        let me = PeerAddress(hub: configuration.hubIndex, session: session.id)
        let mine = MatchTicket(address: me, connection: session.connection, filters: filters)
        // Claiming and waiting are one step of the queue: two newcomers on different loops
        // at the same instant meet instead of both waiting.
        while let ticket = matchQueue.claimOrEnqueue(mine) {
            if ticket.address.hub == configuration.hubIndex {
                // A local ticket whose session is gone cannot happen (ending withdraws it), but
                // skipping it is cheaper than trusting that.
                guard let other = sessions[ticket.address.session], other.state == .matching else { continue }
                cancel(other.matchTimer)
                other.matchTimer = nil
                activateHuman(other, partner: me, now: now)
            } else {
                outbox.append(
                    .mail(hub: ticket.address.hub, .paired(session: ticket.address.session, partner: me)))
            }
            activateHuman(session, partner: ticket.address, now: now)
            return
        }
        let timeout = snapshot.routing.matchmakingTimeout
        session.matchTimer = schedule(.matchTimeout(session.id), at: now.advanced(by: timeout))
        send(
            session.connection,
            .matching(
                session: session.id, timeoutMilliseconds: milliseconds(timeout),
                sessionRef: session.sessionRef))
    }

    /// The matchmaking timeout passed: withdraw from the queue and fall back, unless a partner
    /// claimed the ticket meanwhile (then the pairing mail is on its way).
    func matchTimedOut(_ session: ChatSession, now: PolicyInstant) {
        session.matchTimer = nil
        guard session.state == .matching else { return }
        if matchQueue.withdraw(PeerAddress(hub: configuration.hubIndex, session: session.id)) {
            fallBack(session, now: now)
        }
    }

    /// Hands a random session to a fallback personality: a weighted pick among the routing
    /// candidates that pass the session's language, tag and tenant filters; else the default;
    /// else the session ends with `no_partner`.
    func fallBack(_ session: ChatSession, now: PolicyInstant) {
        counters.matchmakingWait.record(now.nanoseconds - session.createdAt.nanoseconds)
        guard
            let personality = pickFallback(
                for: session.filters ?? RandomFilters(), tenant: session.client.tenant, client: session.client)
        else {
            return endSession(session, reason: .noPartner, now: now)
        }
        counters.fallbacks += 1
        activateBot(session, personality: personality, now: now)
    }

    /// The fallback personality for `filters`, or `nil` when routing names none that fits.
    /// `client`'s personality allow-list (an API key's) narrows the candidates and the default.
    func pickFallback(
        for filters: RandomFilters, tenant clientTenant: String?, client: ClientIdentity? = nil
    ) -> Personality? {
        // A key's tenant is the client's, whatever its filters ask for.
        let tenant = clientTenant ?? filters.tenant
        var eligible: [Personality] = []
        var weights: [Int] = []
        for candidate in snapshot.routing.fallback {
            guard let personality = snapshot.personality(candidate.personality) else { continue }
            if let client, !client.mayUse(personality.id) { continue }
            if !candidate.tenants.isEmpty {
                guard let tenant, candidate.tenants.contains(tenant) else { continue }
            }
            if let owner = personality.tenant, owner != tenant { continue }
            if let language = filters.language, personality.language != language { continue }
            if !filters.tags.isEmpty, !filters.tags.contains(where: personality.tags.contains) { continue }
            eligible.append(personality)
            weights.append(candidate.weight)
        }
        if !eligible.isEmpty { return eligible[random.pick(weights: weights)] }
        return snapshot.routing.defaultPersonality.flatMap { id in
            client?.mayUse(id) == false ? nil : snapshot.personality(id)
        }
    }

    /// The session talks to `personality` from now on: engines, limits, timers, `session_started`.
    func activateBot(_ session: ChatSession, personality: Personality, now: PolicyInstant) {
        let chain: EngineChain
        do {
            chain = try engines.chain(
                for: personality, session: engineContext(for: session, personality: personality))
        } catch {
            refuse(
                session.connection, .internal, "personality '\(personality.id)' cannot be served: \(error)",
                session: session.id)
            return endSession(session, reason: .error, now: now)
        }
        session.peer = .bot(BotPeer(personality: personality, chain: chain))
        session.limits = snapshot.limits(for: personality, tier: session.client.tier)
        session.state = .active
        session.startedAt = now
        session.lastActivity = now
        counters.sessionsStarted[.bot, default: 0] += 1
        counters.sessionsByPersonality[personality.id, default: 0] += 1
        armSessionTimers(session, now: now)
        // A one-shot session gets no token and no header: `session_started` without a token.
        let token = session.oneShot ? nil : recordStart(session, kind: .bot, now: now)
        send(
            session.connection,
            .sessionStarted(
                SessionStart(
                    session: session.id, kind: .bot,
                    personality: PersonalityInfo(
                        id: personality.id, name: personality.name, version: personality.version.description),
                    greeting: chain.greeting(), sessionRef: session.sessionRef, resumeToken: token)))
    }

    /// Rebuilds a fresh bot session's engine state from earlier user turns (`start`'s
    /// `replay`): each turn is scrubbed like a message and heard by the engines; their answers
    /// are dropped (a streaming engine's stream is never started). Turns the scrubber refuses
    /// are skipped, so nothing unscrubbed reaches an engine.
    func replay(_ turns: [String], in session: ChatSession) {
        guard let bot = session.bot, session.state == .active else { return }
        let pii = bot.personality.pii
        for turn in turns where !turn.isEmpty {
            var scrubber =
                inboundScrubbers.removeValue(forKey: pii)
                ?? Scrubber(configuration: Self.scrubberConfiguration(pii))
            let scrubbed = try? scrubber.scrub(turn, session: &session.scrubSession)
            inboundScrubbers[pii] = scrubber
            guard let scrubbed else { continue }
            if case .stream(let stream) = bot.chain.respond(to: scrubbed) { stream.cancel() }
        }
    }

    /// The session talks to a human at `partner` from now on.
    func activateHuman(_ session: ChatSession, partner: PeerAddress, now: PolicyInstant) {
        counters.matchmakingWait.record(now.nanoseconds - session.createdAt.nanoseconds)
        session.peer = .human(partner)
        session.limits = configuration.humanLimits
        session.state = .active
        session.startedAt = now
        session.lastActivity = now
        counters.sessionsStarted[.human, default: 0] += 1
        counters.matched += 1
        armSessionTimers(session, now: now)
        let token = recordStart(session, kind: .human, now: now)
        send(
            session.connection,
            .sessionStarted(
                SessionStart(session: session.id, kind: .human, sessionRef: session.sessionRef, resumeToken: token)))
    }

    func armSessionTimers(_ session: ChatSession, now: PolicyInstant) {
        cancel(session.idleTimer)
        cancel(session.lifetimeTimer)
        session.idleTimer = session.limits.idleTimeout.map {
            schedule(.idle(session.id), at: now.advanced(by: $0))
        }
        session.lifetimeTimer = session.limits.sessionTimeout.map {
            schedule(.lifetime(session.id), at: now.advanced(by: $0))
        }
    }

    // MARK: Human relay

    func relay(_ text: String, to partner: PeerAddress, now: PolicyInstant) {
        guard partner.hub == configuration.hubIndex else {
            outbox.append(.mail(hub: partner.hub, .relay(session: partner.session, text: text)))
            return
        }
        deliverRelay(text, to: partner.session, now: now)
    }

    func deliverRelay(_ text: String, to id: String, now: PolicyInstant) {
        guard let session = sessions[id], session.state == .active else { return }
        session.seq += 1
        session.lastActivity = now
        counters.messagesOut += 1
        store(
            [.turn(StoredTurn(session: session.id, seq: session.seq, role: .partner, text: text, atMilliseconds: wallNow))],
            .record, now: now)
        send(session.connection, .partnerMessage(session: session.id, seq: session.seq, text: text))
    }

    func relayTyping(to partner: PeerAddress, on: Bool, now: PolicyInstant) {
        guard partner.hub == configuration.hubIndex else {
            outbox.append(.mail(hub: partner.hub, .typing(session: partner.session, on: on)))
            return
        }
        if let session = sessions[partner.session], session.state == .active {
            send(session.connection, .partnerTyping(session: session.id, on: on))
        }
    }

    /// Tells the partner of a session that is ending that it is alone now. One rule for a
    /// pair, on one loop or two: a session ending with `shutdown` ends its partner with
    /// `shutdown` too; any other ending leaves the partner with `partner_left`.
    func notifyPartner(of session: ChatSession, reason: EndReason, now: PolicyInstant) {
        guard let partner = session.partner else { return }
        let partnerReason: EndReason = reason == .shutdown ? .shutdown : .partnerLeft
        if partner.hub == configuration.hubIndex {
            if let other = sessions[partner.session] { partnerLeft(other, reason: partnerReason, now: now) }
        } else {
            outbox.append(
                .mail(hub: partner.hub, .partnerLeft(session: partner.session, reason: partnerReason)))
        }
    }

    func partnerLeft(_ session: ChatSession, reason: EndReason = .partnerLeft, now: PolicyInstant) {
        session.peer = .none
        endSession(session, reason: reason, now: now)
    }

    func deliver(_ mail: HubMail, now: PolicyInstant) {
        switch mail {
        case .paired(let id, let partner):
            guard let session = sessions[id], session.state == .matching else {
                // Gone (ended or disconnected) while the pairing was in flight: tell the other side.
                if partner.hub == configuration.hubIndex {
                    if let other = sessions[partner.session] { partnerLeft(other, now: now) }
                } else {
                    outbox.append(.mail(hub: partner.hub, .partnerLeft(session: partner.session)))
                }
                return
            }
            cancel(session.matchTimer)
            session.matchTimer = nil
            activateHuman(session, partner: partner, now: now)
        case .relay(let id, let text):
            deliverRelay(text, to: id, now: now)
        case .typing(let id, let on):
            if let session = sessions[id], session.state == .active {
                send(session.connection, .partnerTyping(session: id, on: on))
            }
        case .partnerLeft(let id, let reason):
            if let session = sessions[id] { partnerLeft(session, reason: reason, now: now) }
        case .unmatched(let id):
            // Only a session still waiting falls back; after a pairing or an end this is stale.
            guard let session = sessions[id], session.state == .matching else { return }
            cancel(session.matchTimer)
            session.matchTimer = nil
            fallBack(session, now: now)
        case .release(let id, let requester):
            release(id, requester: requester, now: now)
        case .released(let id, _):
            released(id, now: now)
        }
    }
}
