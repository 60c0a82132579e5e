import ChatProtocol
import Engines
import Personality
import Policies

extension ChatHub {
    /// A reload swapped the registry: new sessions start on `snapshot` at once; a bot session
    /// keeps the version it runs on until its current reply (if any) finishes, then moves to
    /// the new version (script variables and topic carry over), or ends with
    /// `personality_removed` when its personality is gone. Sessions still matching use the new
    /// routing when they fall back.
    public func registryReplaced(_ snapshot: RegistrySnapshot) -> [HubAction] {
        run { now in
            let old = self.snapshot
            self.snapshot = snapshot
            for personality in old.personalities
            where snapshot.personality(personality.id)?.version != personality.version {
                cache.invalidate(personality: personality.id)
            }
            for session in sessions.values.sorted(by: { $0.createdAt < $1.createdAt }) {
                guard let bot = session.bot else { continue }
                if session.reply != nil {
                    bot.pendingUpdate = true
                } else {
                    applySnapshot(to: session, now: now)
                }
            }
        }
    }

    /// Moves a bot session to the current snapshot's version of its personality.
    func applySnapshot(to session: ChatSession, now: PolicyInstant) {
        guard let bot = session.bot else { return }
        guard let fresh = snapshot.personality(bot.personality.id) else {
            return endSession(session, reason: .personalityRemoved, now: now)
        }
        session.limits = snapshot.limits(for: fresh, tier: session.client.tier)
        guard fresh.version != bot.personality.version else { return }
        guard
            let chain = try? engines.chain(
                for: fresh, session: engineContext(for: session, personality: fresh))
        else {
            return endSession(session, reason: .error, now: now)
        }
        for link in chain.links {
            guard let new = link.state as? ScriptSessionState,
                let old = bot.chain.state(of: link.engine.name) as? ScriptSessionState
            else { continue }
            new.variables = old.variables
            new.topic = old.topic
        }
        bot.personality = fresh
        bot.chain = chain
    }

    /// Graceful shutdown: no new sessions; sessions not streaming end now with `shutdown`;
    /// streaming replies may finish until `deadline` (queued messages are dropped), then every
    /// remaining session ends with `shutdown`. Each connection is closed with 1001 once its
    /// last session has ended, and ``HubAction/drained`` says the hub is done.
    public func drain(deadline: PolicyInstant) -> [HubAction] {
        run { now in
            guard !draining else { return }
            draining = true
            for session in sessions.values.sorted(by: { $0.createdAt < $1.createdAt }) {
                session.queue.removeAll()
                if session.reply == nil { endSession(session, reason: .shutdown, now: now) }
            }
            if !sessions.isEmpty { _ = schedule(.drainDeadline, at: deadline) }
            for id in connections.keys.sorted() { closeIfDrained(id) }
            checkDrained()
        }
    }

    /// Ends a session: stops its reply, cancels its timers, tells the client (with the bot's
    /// farewell when the ending is one a farewell suits) and the human partner.
    func endSession(_ session: ChatSession, reason: EndReason, now: PolicyInstant, notifyClient: Bool = true)
    {
        guard sessions[session.id] === session else { return }
        if let reply = session.reply {
            closeReply(session, reply, finish: .cancelled, now: now, notify: notifyClient)
        }
        session.queue.removeAll()
        cancel(session.matchTimer)
        cancel(session.cadenceTimer)
        cancel(session.idleTimer)
        cancel(session.lifetimeTimer)
        if session.state == .matching {
            _ = matchQueue.withdraw(PeerAddress(hub: configuration.hubIndex, session: session.id))
        }
        if notifyClient {
            var farewell: String?
            if let bot = session.bot,
                [.user, .limitReached, .idle, .sessionTimeout, .shutdown].contains(reason)
            {
                farewell = bot.chain.farewell()
            }
            send(session.connection, .sessionEnded(session: session.id, reason: reason, farewell: farewell))
        }
        notifyPartner(of: session, reason: reason, now: now)
        sessions[session.id] = nil
        for (key, var limiter) in rateLimiters where key.scope == .session {
            limiter.remove(key: session.id)
            rateLimiters[key] = limiter
        }
        if var state = connections[session.connection] {
            state.sessions.removeAll { $0 == session.id }
            state.remembered.append(
                RememberedSession(
                    id: session.id, filters: session.filters, wasRandom: session.filters != nil, endedAt: now)
            )
            forgetRemembered(in: &state, now: now)
            connections[session.connection] = state
        }
        counters.sessionsEnded[reason, default: 0] += 1
        cancel(session.detachTimer)
        if session.replay != nil { heldReplays -= 1 }
        // A durable server's shutdown is a restart: the session stays resumable in the store.
        if session.state != .matching, !session.oneShot,
            !(reason == .shutdown && configuration.resumableAfterShutdown)
        {
            store([.ended(session: session.id, reason: reason, atMilliseconds: wallNow)], .record, now: now)
        }
        if draining {
            closeIfDrained(session.connection)
            checkDrained()
        }
    }

    /// Drops the connection's remembered sessions past ``ChatHubConfiguration/rememberedSessionAge``
    /// and beyond ``ChatHubConfiguration/maxRememberedSessions`` (oldest first).
    func forgetRemembered(in state: inout ConnectionState, now: PolicyInstant) {
        let oldestKept = now.advanced(by: .zero - configuration.rememberedSessionAge)
        let expired = state.remembered.prefix { $0.endedAt <= oldestKept }.count
        let excess = state.remembered.count - expired - configuration.maxRememberedSessions
        state.remembered.removeFirst(expired + max(0, excess))
    }

    func closeIfDrained(_ connection: ConnectionID) {
        guard draining, var state = connections[connection], state.sessions.isEmpty, !state.closing else {
            return
        }
        state.closing = true
        connections[connection] = state
        outbox.append(.close(connection, code: 1001, reason: "server shutting down"))
    }

    func checkDrained() {
        guard draining, sessions.isEmpty, !drainAnnounced else { return }
        drainAnnounced = true
        outbox.append(.drained)
    }

    /// Dispatches a due timer.
    func fire(_ purpose: TimerPurpose, token: TimerToken, now: PolicyInstant) {
        switch purpose {
        case .matchTimeout(let id):
            if let session = sessions[id], session.matchTimer == token { matchTimedOut(session, now: now) }
        case .cadence(let id):
            guard let session = sessions[id], session.cadenceTimer == token else { return }
            session.cadenceTimer = nil
            pump(session, now: now)
        case .idle(let id):
            guard let session = sessions[id], session.idleTimer == token,
                let idle = session.limits.idleTimeout
            else { return }
            session.idleTimer = nil
            // Lazy re-arming: messages only move `lastActivity`; the timer checks it when it
            // fires. A reply still streaming counts as activity.
            let deadline = session.lastActivity.advanced(by: idle)
            if session.reply != nil {
                session.idleTimer = schedule(.idle(id), at: now.advanced(by: idle))
            } else if deadline > now {
                session.idleTimer = schedule(.idle(id), at: deadline)
            } else {
                endSession(session, reason: .idle, now: now)
            }
        case .lifetime(let id):
            guard let session = sessions[id], session.lifetimeTimer == token else { return }
            session.lifetimeTimer = nil
            endSession(session, reason: .sessionTimeout, now: now)
        case .drainDeadline:
            for session in sessions.values.sorted(by: { $0.createdAt < $1.createdAt }) {
                endSession(session, reason: .shutdown, now: now)
            }
        case .resumeWindow(let id):
            guard let session = sessions[id], session.detachTimer == token, !session.attached else { return }
            session.detachTimer = nil
            endSession(session, reason: .disconnected, now: now, notifyClient: false)
        case .housekeeping:
            housekeepingTimer = nil
            for key in Array(rateLimiters.keys) {
                rateLimiters[key]?.sweep(now: now)
                if rateLimiters[key]?.count == 0 { rateLimiters[key] = nil }
            }
            cache.removeExpired(now: now)
            for (id, var state) in connections where !state.remembered.isEmpty {
                let count = state.remembered.count
                forgetRemembered(in: &state, now: now)
                if state.remembered.count != count { connections[id] = state }
            }
            let holdsEnded = transcripts.forgetExpired()
            let today = clock.wallMilliseconds() / 86_400_000
            if dailyCounts.values.contains(where: { $0.day != today }) {
                dailyCounts = dailyCounts.filter { $0.value.day == today }
            }
            if !connections.isEmpty || holdsEnded {
                housekeepingTimer = schedule(
                    .housekeeping, at: now.advanced(by: configuration.housekeepingInterval))
            }
        }
    }
}
