import ChatProtocol
import Engines
import Personality
import Policies

/// Resume (DESIGN §7): a client re-attaches a session on any connection — after its Wi-Fi
/// dropped, on a second device, or after a server restart — and gets every turn after the
/// last `seq` it saw, as the frames it would have seen live (`ack` for its own messages,
/// `reply_start`/`token`/`reply_end` for replies, `partner_message`), then the session goes on.
///
/// The replay is read from the store, so it is exactly what was acknowledged and stored.
/// Frames the session produces while the read is in flight are held and sent after it
/// (skipping what the replay already covered), so nothing is lost or repeated.
extension ChatHub {
    /// `resume` from `connection`.
    func resume(_ id: String, token: String, lastSeq: Int, connection: ConnectionID, now: PolicyInstant) {
        guard let state = connections[connection] else { return }
        if draining { return refuse(connection, .shuttingDown, "the server is shutting down", session: id) }
        let request = ResumeRequest(session: id, token: token, lastSeq: lastSeq, connection: connection)
        if let session = sessions[id] {
            // Another tenant's session does not exist for this client (not even its id).
            guard session.client.tenant == state.client.tenant else {
                return refuse(connection, .unknownSession, "no session '\(id)'", session: id)
            }
            guard session.releaseTo == nil else {
                return refuse(connection, .sessionNotActive, "session '\(id)' is moving; try again", session: id)
            }
            guard Self.tokenHash(token) == session.resumeTokenHash, !session.resumeTokenHash.isEmpty else {
                return refuse(connection, .invalidResumeToken, "wrong resume token for session '\(id)'", session: id)
            }
            if session.connection != connection {
                guard state.sessions.count < configuration.maxSessionsPerConnection else {
                    return tooMany(connection, id)
                }
                attach(session, to: connection)
            }
            return beginReplay(session, lastSeq: lastSeq, now: now)
        }
        guard state.sessions.count < configuration.maxSessionsPerConnection else { return tooMany(connection, id) }
        loadSession(id, .adopt(request), now: now)
    }

    private func tooMany(_ connection: ConnectionID, _ id: String) {
        refuse(
            connection, .tooManySessions, "a connection may hold \(configuration.maxSessionsPerConnection) sessions",
            session: id)
    }

    /// Moves `session` to `connection`, telling the connection it had (if still open).
    func attach(_ session: ChatSession, to connection: ConnectionID) {
        let old = session.connection
        if session.attached, old != connection, var previous = connections[old] {
            previous.sessions.removeAll { $0 == session.id }
            connections[old] = previous
            send(old, .sessionDetached(session: session.id))
        }
        session.connection = connection
        session.attached = true
        cancel(session.detachTimer)
        session.detachTimer = nil
        connections[connection]?.sessions.append(session.id)
        counters.resumes += 1
    }

    /// Holds live frames and reads the transcript to replay.
    func beginReplay(_ session: ChatSession, lastSeq: Int, now: PolicyInstant) {
        var hold = ReplayHold(connection: session.connection)
        if let reply = session.reply {
            // Started before the resume and not stored yet: what was sent of it goes first.
            hold.frames.append(.replyStart(session: session.id, reply: reply.number, seq: reply.seq, ref: reply.ref))
            for token in reply.tokens.prefix(reply.sent) {
                hold.frames.append(.token(session: session.id, reply: reply.number, delta: token))
            }
        }
        if session.replay == nil { heldReplays += 1 }
        session.replay = hold
        loadSession(session.id, .replay(session: session.id, lastSeq: lastSeq), now: now)
    }

    func completeLoad(_ pending: PendingStore, _ result: Result<StoredSession?, StoreFailure>, now: PolicyInstant) {
        switch pending {
        case .replay(let id, let lastSeq):
            guard let session = sessions[id], let hold = session.replay else { return }
            session.replay = nil
            heldReplays -= 1
            let stored: StoredSession?
            switch result {
            case .success(let value): stored = value
            case .failure(let failure):
                counters.storeFailures += 1
                refuse(
                    hold.connection, .storeUnavailable, "the transcript could not be read (\(failure.message))", session: id,
                    retryAfter: failure.retryAfterMilliseconds)
                stored = nil
            }
            sendReplay(session: id, start: sessionInfo(session), turns: stored?.turns ?? [], after: lastSeq,
                       lastSeq: stored?.lastSeq ?? 0, to: hold.connection, held: hold.frames)
        case .adopt(var request):
            let stored: StoredSession
            switch result {
            case .failure(let failure):
                counters.storeFailures += 1
                return refuse(
                    request.connection, .storeUnavailable, "the session could not be read (\(failure.message))",
                    session: request.session, retryAfter: failure.retryAfterMilliseconds)
            case .success(nil):
                return refuse(request.connection, .unknownSession, "no session '\(request.session)'", session: request.session)
            case .success(let value?):
                stored = value
            }
            guard let state = connections[request.connection] else { return }
            guard stored.header.tenant == state.client.tenant else {
                return refuse(request.connection, .unknownSession, "no session '\(request.session)'", session: request.session)
            }
            guard Self.tokenHash(request.token) == stored.header.resumeTokenHash else {
                return refuse(
                    request.connection, .invalidResumeToken, "wrong resume token for session '\(request.session)'",
                    session: request.session)
            }
            if let reason = stored.endReason {
                return refuse(
                    request.connection, .sessionExpired, "session '\(request.session)' has ended (\(reason.rawValue))",
                    session: request.session)
            }
            if sessions[request.session] != nil {
                // Adopted meanwhile by another resume on this hub: serve it from memory.
                return resume(
                    request.session, token: request.token, lastSeq: request.lastSeq, connection: request.connection,
                    now: now)
            }
            if !request.verified, configuration.hubCount > 1 {
                request.verified = true
                request.awaiting = configuration.hubCount - 1
                pendingAdoptions[request.session] = request
                for hub in 0..<configuration.hubCount where hub != configuration.hubIndex {
                    outbox.append(.mail(hub: hub, .release(session: request.session, requester: configuration.hubIndex)))
                }
                return
            }
            adopt(stored, request: request, now: now)
        case .message, .record:
            return
        }
    }

    /// Another hub let go of (or never held) a session this hub is adopting.
    func released(_ id: String, now: PolicyInstant) {
        guard var request = pendingAdoptions[id] else { return }
        request.awaiting -= 1
        guard request.awaiting <= 0 else {
            pendingAdoptions[id] = request
            return
        }
        pendingAdoptions[id] = nil
        // Read again: the other hub stored the reply it finished before letting go.
        loadSession(id, .adopt(request), now: now)
    }

    /// Another hub wants `id`: let go of it once its reply is finished and stored.
    func release(_ id: String, requester: Int, now: PolicyInstant) {
        guard let session = sessions[id] else {
            outbox.append(.mail(hub: requester, .released(session: id, requester: requester)))
            return
        }
        if session.attached, var state = connections[session.connection] {
            state.sessions.removeAll { $0 == id }
            connections[session.connection] = state
            send(session.connection, .sessionDetached(session: id))
        }
        session.attached = false
        session.releaseTo = requester
        if let reply = session.reply {
            // Nobody here is reading any more: the rest goes straight to the store.
            reply.starved = false
            pump(session, now: now)
        } else {
            finishRelease(session)
        }
    }

    /// Forgets a released session (its turns and engine state are stored; the store keeps it
    /// active) and tells the hub that asked.
    func finishRelease(_ session: ChatSession) {
        guard let requester = session.releaseTo, sessions[session.id] === session else { return }
        cancel(session.matchTimer)
        cancel(session.cadenceTimer)
        cancel(session.idleTimer)
        cancel(session.lifetimeTimer)
        cancel(session.detachTimer)
        if session.replay != nil { heldReplays -= 1 }
        sessions[session.id] = nil
        outbox.append(.mail(hub: requester, .released(session: session.id, requester: requester)))
    }

    /// Rebuilds a stored session on this hub and attaches it to the resuming connection.
    func adopt(_ stored: StoredSession, request: ResumeRequest, now: PolicyInstant) {
        let id = stored.header.id
        let client = ClientIdentity(key: stored.header.clientKey, tier: stored.header.tier, tenant: stored.header.tenant)
        let session = ChatSession(
            id: id, connection: request.connection, client: client, sessionRef: nil, filters: nil, now: now,
            limits: configuration.humanLimits)
        session.resumeTokenHash = stored.header.resumeTokenHash
        session.seq = stored.lastSeq
        session.replyCount = stored.replies
        counters.resumes += 1
        counters.adopted += 1
        guard stored.header.kind == .bot else {
            // The partner was on a server that is gone: replay, then the session is over.
            sendReplay(
                session: id, start: SessionStart(session: id, kind: .human), turns: stored.turns,
                after: request.lastSeq, lastSeq: stored.lastSeq, to: request.connection, held: [])
            send(request.connection, .sessionEnded(session: id, reason: .partnerLeft, farewell: nil))
            store([.ended(session: id, reason: .partnerLeft, atMilliseconds: wallNow)], .record, now: now)
            return
        }
        let personality = stored.header.personalityID.flatMap { snapshot.personality($0) }
        let chain = personality.flatMap {
            try? engines.chain(for: $0, session: EngineSessionContext(sessionID: id, seed: random.next()))
        }
        guard let personality, let chain else {
            let info = SessionStart(session: id, kind: .bot)
            sendReplay(session: id, start: info, turns: stored.turns, after: request.lastSeq, lastSeq: stored.lastSeq,
                       to: request.connection, held: [])
            send(request.connection, .sessionEnded(session: id, reason: .personalityRemoved, farewell: nil))
            store([.ended(session: id, reason: .personalityRemoved, atMilliseconds: wallNow)], .record, now: now)
            return
        }
        Self.restore(stored.engine, turns: stored.turns, into: chain)
        session.storedSnapshot = stored.engine
        session.replyCount = max(stored.replies, stored.turns.count { $0.role == .bot })
        session.peer = .bot(BotPeer(personality: personality, chain: chain))
        session.limits = snapshot.limits(for: personality, tier: client.tier)
        session.state = .active
        sessions[id] = session
        connections[request.connection]?.sessions.append(id)
        armSessionTimers(session, now: now)
        sendReplay(session: id, start: sessionInfo(session), turns: stored.turns, after: request.lastSeq,
                   lastSeq: stored.lastSeq, to: request.connection, held: [])
        // Messages acknowledged but not answered before the server stopped are answered now.
        let lastBot = stored.turns.last(where: { $0.role == .bot })?.seq ?? 0
        for turn in stored.turns where turn.role == .user && turn.seq > lastBot {
            session.queue.append(QueuedMessage(text: turn.text, id: turn.ref ?? "", acceptedAt: now))
        }
        if !session.queue.isEmpty {
            let next = session.queue.removeFirst()
            startReply(session, text: next.text, id: next.id, acceptedAt: next.acceptedAt, now: now)
        }
    }

    /// `session_resumed`'s body for a live session.
    func sessionInfo(_ session: ChatSession) -> SessionStart {
        guard let bot = session.bot else { return SessionStart(session: session.id, kind: .human) }
        return SessionStart(
            session: session.id, kind: .bot,
            personality: PersonalityInfo(
                id: bot.personality.id, name: bot.personality.name, version: bot.personality.version.description))
    }

    /// `session_resumed`, the stored turns after `after` as live frames, then the held frames
    /// the replay does not already cover.
    func sendReplay(
        session id: String, start: SessionStart, turns: [StoredTurn], after: Int, lastSeq: Int, to connection: ConnectionID,
        held: [ServerMessage]
    ) {
        send(connection, .sessionResumed(start, lastSeq: lastSeq))
        var covered = after
        var replayedReplies = Set<Int>()
        for turn in turns where turn.seq > after {
            covered = max(covered, turn.seq)
            switch turn.role {
            case .user:
                send(connection, .ack(session: id, id: turn.ref ?? "", seq: turn.seq))
            case .partner:
                send(connection, .partnerMessage(session: id, seq: turn.seq, text: turn.text))
            case .bot:
                let number = turn.reply ?? 0
                replayedReplies.insert(number)
                send(connection, .replyStart(session: id, reply: number, seq: turn.seq, ref: turn.ref))
                let tokens = ReplyTokenizer.tokens(of: turn.text)
                for token in tokens { send(connection, .token(session: id, reply: number, delta: token)) }
                send(
                    connection,
                    .replyEnd(session: id, reply: number, seq: turn.seq, tokens: tokens.count, finish: turn.finish ?? .stop))
            }
        }
        counters.turnsReplayed += turns.count { $0.seq > after }
        for frame in held {
            switch frame {
            case .ack(_, _, let seq), .partnerMessage(_, let seq, _):
                if seq <= covered { continue }
            case .replyStart(_, let reply, _, _), .token(_, let reply, _), .replyEnd(_, let reply, _, _, _):
                if replayedReplies.contains(reply) { continue }
            default: break
            }
            send(connection, frame)
        }
    }
}
