import ChatProtocol
import Engines
import Personality
import Policies

/// What the hub does once a store request it made is answered.
enum PendingStore {
    /// A client message's turn: ack it (and reply or relay) once committed, refuse it otherwise.
    case message(AcceptedMessage)
    /// Nothing waits on it (a reply, a header, an end); a failure is only counted.
    case record
    /// A resume that found the session in memory: replay what was loaded after `lastSeq`.
    case replay(session: String, lastSeq: Int)
    /// A resume of a session this hub does not hold.
    case adopt(ResumeRequest)
}

/// A client message written to the store, waiting for its commit.
struct AcceptedMessage {
    var session: String
    var connection: ConnectionID
    var id: String
    var seq: Int
    var text: String
    var acceptedAt: PolicyInstant
    /// The store carried the relay to the partner's hub with the write (see
    /// ``TranscriptStore/write(_:ticket:carrying:to:)``): nothing to relay after the commit.
    var relayed = false
}

/// A `resume` being served.
struct ResumeRequest {
    var session: String
    var token: String
    var lastSeq: Int
    var connection: ConnectionID
    /// Other hubs still to answer `released`.
    var awaiting = 0
    /// The session was loaded once and found resumable; this load is after other hubs let go.
    var verified = false
}

extension ChatHub {
    /// The store answered a write the hub made with `ticket`.
    public func storeWritten(_ ticket: StoreTicket, _ result: Result<Void, StoreFailure>) -> [HubAction] {
        run { now in
            guard let pending = pendingStore.removeValue(forKey: ticket) else { return }
            completeWrite(pending, result, now: now)
        }
    }

    /// The store answered a load the hub made with `ticket`.
    public func storeLoaded(_ ticket: StoreTicket, _ result: Result<StoredSession?, StoreFailure>) -> [HubAction] {
        run { now in
            guard let pending = pendingStore.removeValue(forKey: ticket) else { return }
            completeLoad(pending, result, now: now)
        }
    }

    /// Daily message counts read back from the store at start (`daily_messages_per_client`
    /// survives a restart); `day` is the UTC day they are for.
    public func seedDailyCounts(_ counts: [String: Int], day: Int64) {
        for (client, count) in counts where dailyCounts.count < configuration.maxQuotaClients {
            dailyCounts[client] = DailyCount(day: day, count: max(count, dailyCounts[client]?.count ?? 0))
        }
    }

    /// Writes `records`; `pending` says what to do when the write is answered. A message's
    /// write offers the store `carrying` (its relay to a partner on another hub): a store that
    /// takes it delivers the mail itself once the turn is stored, and the message is marked
    /// relayed.
    func store(
        _ records: [StoreRecord], _ pending: PendingStore, now: PolicyInstant,
        carrying: (mail: HubMail, hub: Int)? = nil
    ) {
        var ticket: StoreTicket?
        if case .record = pending {
            ticket = nil
        } else {
            nextTicket += 1
            ticket = StoreTicket(nextTicket)
        }
        var pending = pending
        var answer: StoreAnswer<Void>?
        if let carrying, let ticket, case .message(var message) = pending,
            let carried = transcripts.write(records, ticket: ticket, carrying: carrying.mail, to: carrying.hub)
        {
            message.relayed = true
            pending = .message(message)
            answer = carried
        }
        switch answer ?? transcripts.write(records, ticket: ticket) {
        case .now(let result): completeWrite(pending, result, now: now)
        case .later: if let ticket { pendingStore[ticket] = pending }
        }
    }

    /// Loads `session`; `pending` says what to do with it.
    func loadSession(_ session: String, _ pending: PendingStore, now: PolicyInstant) {
        nextTicket += 1
        let ticket = StoreTicket(nextTicket)
        switch transcripts.load(session, ticket: ticket) {
        case .now(let result): completeLoad(pending, result, now: now)
        case .later: pendingStore[ticket] = pending
        }
    }

    func completeWrite(_ pending: PendingStore, _ result: Result<Void, StoreFailure>, now: PolicyInstant) {
        if case .failure = result { counters.storeFailures += 1 }
        guard case .message(let message) = pending else { return }
        let session = sessions[message.session]
        session?.awaitingCommit -= 1
        switch result {
        case .failure(let failure):
            let connection = session?.connection ?? message.connection
            refuse(
                connection, .storeUnavailable, "the message could not be stored (\(failure.message)); send it again later",
                ref: message.id, session: message.session, retryAfter: failure.retryAfterMilliseconds)
            if let session { endIfSettled(session, now: now) }
        case .success:
            // Stored: acknowledged even if the session ended meanwhile (the turn is in its transcript).
            send(session?.connection ?? message.connection, .ack(session: message.session, id: message.id, seq: message.seq))
            guard let session, sessions[session.id] === session else { return }
            acknowledged(session, message, now: now)
        }
    }

    /// A committed message moves on: the bot replies (now or after the reply in flight), or the
    /// partner gets it.
    func acknowledged(_ session: ChatSession, _ message: AcceptedMessage, now: PolicyInstant) {
        if let partner = session.partner {
            if message.relayed { return }
            return relay(message.text, to: partner, now: now)
        }
        guard session.bot != nil else { return }
        // Accepted before a farewell limit was reached: still answered, like the queue.
        let answers = session.state == .active || session.state == .ending(.limitReached)
        if answers, session.reply != nil || !session.queue.isEmpty {
            session.queue.append(QueuedMessage(text: message.text, id: message.id, acceptedAt: message.acceptedAt))
        } else if answers {
            startReply(session, text: message.text, id: message.id, acceptedAt: message.acceptedAt, now: now)
            if session.cancelNextReply, let reply = session.reply {
                session.cancelNextReply = false
                finishReply(session, reply, finish: .cancelled, now: now)
            }
        } else {
            endIfSettled(session, now: now)
        }
        if session.awaitingCommit == 0 { session.cancelNextReply = false }
    }

    /// An ending session with nothing left to store or answer ends now.
    func endIfSettled(_ session: ChatSession, now: PolicyInstant) {
        guard sessions[session.id] === session, case .ending(let reason) = session.state, session.reply == nil,
            session.queue.isEmpty, session.awaitingCommit == 0
        else { return }
        endSession(session, reason: reason, now: now)
    }

    // MARK: Records

    /// Milliseconds since 1970 now.
    var wallNow: Int64 { clock.wallMilliseconds() }

    /// The header of a session that just became active, with a fresh resume token (returned).
    func recordStart(_ session: ChatSession, kind: SessionKind, now: PolicyInstant) -> String {
        let token = Self.newResumeToken()
        session.resumeTokenHash = Self.tokenHash(token)
        let bot = session.bot?.personality
        store(
            [
                .session(
                    StoredSessionHeader(
                        id: session.id, kind: kind, personalityID: bot?.id,
                        personalityVersion: bot?.version.description, clientKey: session.client.key,
                        tenant: session.client.tenant, tier: session.client.tier,
                        createdAtMilliseconds: wallNow, resumeTokenHash: session.resumeTokenHash))
            ], .record, now: now)
        return token
    }

    /// The engine's state after a reply, for a restart to continue from.
    func engineSnapshot(_ session: ChatSession) -> EngineSnapshot? {
        guard let bot = session.bot else { return nil }
        for link in bot.chain.links {
            guard let state = link.state as? ScriptSessionState else { continue }
            return EngineSnapshot(variables: state.variables, topic: state.topic, random: state.random.currentState)
        }
        return EngineSnapshot()
    }

    /// Puts a stored snapshot back into a fresh chain; the recent inputs and replies
    /// (`{input1}`, `after:`) come from the stored turns, latest first.
    static func restore(_ snapshot: EngineSnapshot?, turns: [StoredTurn], into chain: EngineChain) {
        let inputs = turns.reversed().filter { $0.role == .user }.prefix(ScriptSessionState.historyLength).map(\.text)
        let replies = turns.reversed().filter { $0.role == .bot }.prefix(ScriptSessionState.historyLength).map(\.text)
        for link in chain.links {
            guard let state = link.state as? ScriptSessionState else { continue }
            if let snapshot {
                state.variables = snapshot.variables
                state.topic = snapshot.topic
                state.random = SessionRandom(seed: snapshot.random)
            }
            state.inputs = Array(inputs)
            state.replies = Array(replies)
        }
    }

    /// 128 random bits as 32 hex digits, from the system's generator (not the seeded one:
    /// a token must not be predictable).
    static func newResumeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let words = [generator.next() as UInt64, generator.next() as UInt64]
        return words.map { word in
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// The hex SHA-256 of a token: all the store keeps (the REST door compares against it too).
    package static func tokenHash(_ token: String) -> String {
        SHA256.hash(Array(token.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
