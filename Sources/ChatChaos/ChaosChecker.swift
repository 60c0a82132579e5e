import ChatProtocol

/// Watches every frame of a chaos run, both ways, and records each broken
/// ``ChaosInvariant``. Connections are numbered by the driver (`link`: one per connection
/// opened, never reused). Confined to one thread.
///
/// Answers: the server answers each `message` synchronously (an `ack` or an `error` with its
/// `ref`, in the order the messages arrived), so the checker keeps a queue of the message ids
/// a connection sent and pops it on each answer; an answer for another id means a message went
/// unanswered or was answered twice. A `pong` is a barrier: every message sent before its
/// `ping` must have been answered by then.
public final class ChaosChecker {
    struct Link {
        var user: Int
        var welcomed = false
        var connectionID: String?
        /// Message ids awaiting an answer, with their number among the connection's messages.
        var pending: [(id: String, index: Int)] = []
        var messagesSent = 0
        /// Per ping id: how many messages had been sent before it.
        var barriers: [String: Int] = [:]
        var sessions: [String] = []
        var log: [String] = []
        var open = true
    }

    struct Session {
        var owner: Int
        var kind: SessionKind?
        var lastSeq = 0
        /// The last seq acknowledged: acks increase among themselves, but an ack waits for the
        /// store, so a partner message or reply numbered after it may arrive first.
        var lastAckSeq = 0
        /// Every seq seen, so none is used twice.
        var seqs: Set<Int> = []
        var reply: (number: Int, seq: Int, tokens: Int)?
        var ended = false
        var partner: String?
    }

    /// Broken invariants, in the order found.
    public private(set) var violations: [ChaosViolation] = []
    /// Counts for the report.
    public private(set) var framesSent = 0, framesReceived = 0, connections = 0, messages = 0
    /// Distinct sessions seen, and how many were human.
    public private(set) var sessionsSeen = 0, humanSessions = 0
    /// Session endings by reason.
    public private(set) var endings: [EndReason: Int] = [:]
    /// Whether a graceful shutdown has begun (the shutdown rule applies from now on).
    public private(set) var draining = false
    /// Frames kept per connection for failure reports.
    public var logLimit: Int

    private var links: [Int: Link] = [:]
    private var sessions: [String: Session] = [:]
    private var recentSessions: [String] = []
    private var openConnectionIDs: [String: Int] = [:]
    /// The session each tagged text was accepted in.
    private var tagSender: [String: String] = [:]
    /// Pending message texts' tags, by link, in the same order as `pending`.
    private var pendingTags: [Int: [String?]] = [:]
    private var closeCodes: [Int: UInt16] = [:]
    /// Every frame of the run in order, when kept (for the report of a shrunk run).
    public private(set) var timeline: [String]?

    /// Creates a checker keeping the last `logLimit` frames of each connection.
    public init(logLimit: Int = 400, keepTimeline: Bool = false, durableStore: Bool = false) {
        self.logLimit = logLimit
        timeline = keepTimeline ? [] : nil
        self.durableStore = durableStore
    }

    /// Whether the server acknowledges through a durable store ("acknowledged means stored"):
    /// an ack then waits for the write, so a later message's refusal, a pong or the session's
    /// end may overtake it. Answers are still one per message and never invented.
    public let durableStore: Bool

    // MARK: Events

    /// A connection opened for `user`.
    public func opened(_ link: Int, user: Int) {
        links[link] = Link(user: user)
        connections += 1
    }

    /// The concrete session id `pick` names for `link` now.
    public func resolve(_ pick: SessionPick, link: Int) -> String {
        switch pick {
        case .own(let k):
            let own = links[link]?.sessions ?? []
            return own.isEmpty ? "s0-0" : own[k % own.count]
        case .foreign(let k):
            return recentSessions.isEmpty ? "s1-0" : recentSessions[k % recentSessions.count]
        case .madeUp(let id):
            return id
        }
    }

    /// The wire text of `frame` for `link` (sessions resolved), and records it as sent.
    public func send(_ frame: ChaosFrame, link: Int) -> String {
        let text: String
        var messageID: String?
        var tag: String?
        switch frame {
        case .start(let request): text = ClientMessage.start(request).encodedText
        case .message(let pick, let body, let id):
            text = ClientMessage.message(session: resolve(pick, link: link), text: body, id: id).encodedText
            messageID = id
            tag = ChaosText.tag(in: body)
        case .typing(let pick, let on):
            text = ClientMessage.typing(session: resolve(pick, link: link), on: on).encodedText
        case .cancel(let pick): text = ClientMessage.cancel(session: resolve(pick, link: link)).encodedText
        case .end(let pick): text = ClientMessage.end(session: resolve(pick, link: link)).encodedText
        case .next(let pick, let want):
            text = ClientMessage.next(session: resolve(pick, link: link), want: want).encodedText
        case .ping(let id): text = ClientMessage.ping(id: id).encodedText
        case .invalid(let raw): text = raw
        }
        framesSent += 1
        guard links[link] != nil else { return text }
        if let messageID {
            messages += 1
            links[link]!.pending.append((messageID, links[link]!.messagesSent))
            links[link]!.messagesSent += 1
            pendingTags[link, default: []].append(tag)
        }
        if case .ping(let id) = frame { links[link]!.barriers[id] = links[link]!.messagesSent }
        record(link, "> " + text)
        return text
    }

    /// A frame arrived on `link`.
    public func received(_ message: ServerMessage, link: Int) {
        framesReceived += 1
        guard var state = links[link] else { return }
        defer { if links[link] != nil { links[link]!.welcomed = true } }
        record(link, "< " + String(decoding: message.encoded(), as: UTF8.self))
        if case .welcome(let connection, _, _, _) = message {
            if state.welcomed { fail(.welcomeFirst, "a second welcome", link: link) }
            if let other = openConnectionIDs[connection], other != link {
                fail(
                    .uniqueConnectionIDs, "\(connection) is already the id of another open connection",
                    link: link)
            }
            openConnectionIDs[connection] = link
            state.connectionID = connection
            links[link]!.connectionID = connection
            return
        }
        if !state.welcomed { fail(.welcomeFirst, "\(message.type) before welcome", link: link) }
        switch message {
        case .ack(let session, let id, _):
            answer(id, link: link, session: session)
        case .error(let report):
            if let ref = report.ref, ref.hasPrefix("m") { answer(ref, link: link, session: nil) }
            return
        case .pong(let id):
            guard let id, let barrier = links[link]?.barriers.removeValue(forKey: id) else { return }
            let unanswered = links[link]!.pending.prefix { $0.index < barrier }
            if !unanswered.isEmpty, !durableStore {
                fail(
                    .oneAnswerPerMessage,
                    "pong arrived while message(s) \(unanswered.map(\.id).joined(separator: ", ")) sent before the ping had no answer",
                    link: link)
                links[link]!.pending.removeFirst(unanswered.count)
                let tags = pendingTags[link] ?? []
                pendingTags[link] = Array(tags.dropFirst(unanswered.count))
            }
            return
        default: break
        }
        guard let id = message.session else { return }
        observe(message, session: id, link: link)
    }

    /// The connection is gone (dropped by the client or closed by the server, with `code`).
    public func closed(_ link: Int, code: UInt16? = nil) {
        guard let state = links[link] else { return }
        if let code { closeCodes[link] = code }
        if draining, state.open, code != nil, code != 1001 {
            fail(.shutdownRule, "closed with \(code!) while draining", link: link)
        }
        if let id = state.connectionID, openConnectionIDs[id] == link { openConnectionIDs[id] = nil }
        for id in state.sessions { sessions[id]?.ended = true }
        links[link] = nil
        pendingTags[link] = nil
    }

    /// A graceful shutdown began.
    public func drainBegan() {
        draining = true
    }

    /// Records a broken invariant found by the driver (the rest check).
    public func fail(_ invariant: ChaosInvariant, _ detail: String) {
        violations.append(ChaosViolation(invariant, detail))
    }

    /// Adds a line to the timeline (when one is kept).
    public func note(_ line: String) {
        timeline?.append(line)
    }

    /// Connections still open.
    public var openLinks: [Int] { links.keys.sorted() }

    // MARK: Checks

    private func observe(_ message: ServerMessage, session id: String, link: Int) {
        guard var session = sessions[id] else {
            switch message {
            case .matching, .sessionStarted, .sessionEnded:
                sessions[id] = Session(owner: link)
                sessionsSeen += 1
                links[link]?.sessions.append(id)
                recentSessions.append(id)
                if recentSessions.count > 2_000 { recentSessions.removeFirst(1_000) }
                return observe(message, session: id, link: link)
            default:
                return fail(
                    .noCrossTalk, "\(message.type) for \(id), a session this connection never started",
                    link: link)
            }
        }
        guard session.owner == link else {
            return fail(
                .noCrossTalk, "\(message.type) for \(id), which belongs to another connection", link: link)
        }
        if session.ended {
            // A message stored before the end is acknowledged after it when the store is durable.
            if durableStore, case .ack = message { return }
            return fail(
                .silenceAfterEnd, "\(message.type) for \(id) after its session_ended", link: link, session: id
            )
        }
        func advance(_ seq: Int, ack: Bool = false) {
            let last = ack ? session.lastAckSeq : session.lastSeq
            if seq <= last || !session.seqs.insert(seq).inserted {
                fail(.seqIncreases, "seq \(seq) after \(last) in \(id)", link: link, session: id)
            }
            if ack { session.lastAckSeq = max(last, seq) } else { session.lastSeq = max(last, seq) }
        }
        switch message {
        case .sessionStarted(let start):
            session.kind = start.kind
            if start.kind == .human { humanSessions += 1 }
        case .ack(_, _, let seq):
            advance(seq, ack: true)
        case .replyStart(_, let reply, let seq, _):
            if let open = session.reply {
                fail(
                    .replyFraming, "reply \(reply) started while reply \(open.number) had no reply_end",
                    link: link, session: id)
            }
            advance(seq)
            session.reply = (reply, seq, 0)
        case .token(_, let reply, _):
            if session.reply?.number == reply {
                session.reply!.tokens += 1
            } else {
                fail(.replyFraming, "a token of reply \(reply) outside it", link: link, session: id)
            }
        case .replyEnd(_, let reply, let seq, let tokens, _):
            if let open = session.reply, open.number == reply {
                if open.tokens != tokens || open.seq != seq {
                    fail(
                        .replyFraming,
                        "reply_end of reply \(reply) says \(tokens) tokens, seq \(seq); \(open.tokens) arrived, seq \(open.seq)",
                        link: link, session: id)
                }
            } else {
                fail(.replyFraming, "reply_end of reply \(reply), which is not open", link: link, session: id)
            }
            session.reply = nil
        case .partnerMessage(_, let seq, let text):
            advance(seq)
            checkPartner(&session, id: id, text: text, link: link)
        case .partnerTyping:
            if session.kind != .human {
                fail(
                    .partnerFromPartner, "partner_typing in \(id), not a human session", link: link,
                    session: id)
            }
        case .sessionEnded(_, let reason, _):
            if let open = session.reply {
                fail(
                    .replyFraming, "session ended while reply \(open.number) had no reply_end", link: link,
                    session: id)
            }
            session.ended = true
            endings[reason, default: 0] += 1
            // A partner whose own client left before the shutdown legitimately leaves this side
            // `partner_left` (over a real network its close can be processed after the SIGTERM).
            let partnerLeftFirst =
                reason == .partnerLeft && session.partner.map { sessions[$0]?.ended == true } == true
            if draining, session.kind == .human, reason != .shutdown, !partnerLeftFirst {
                fail(
                    .shutdownRule, "human session \(id) ended \(reason.rawValue) during shutdown", link: link,
                    session: id)
            }
        default: break
        }
        sessions[id] = session
    }

    private func checkPartner(_ session: inout Session, id: String, text: String, link: Int) {
        guard session.kind == .human else {
            return fail(
                .partnerFromPartner, "partner_message in \(id), not a human session", link: link, session: id)
        }
        guard let tag = ChaosText.tag(in: text), let sender = tagSender[tag] else { return }
        guard let other = sessions[sender], sender != id, other.owner != link, other.kind == .human else {
            return fail(
                .partnerFromPartner,
                "partner_message in \(id) came from \(sender), not a human on another connection",
                link: link, session: id)
        }
        if let partner = session.partner, partner != sender {
            fail(
                .partnerFromPartner, "\(id) is matched with \(partner) but heard from \(sender)", link: link,
                session: id)
        }
        if let back = other.partner, back != id {
            fail(
                .partnerFromPartner, "\(sender) is matched with \(back) but reached \(id)", link: link,
                session: id)
        }
        session.partner = sender
        sessions[sender]?.partner = id
    }

    private func answer(_ id: String, link: Int, session: String?) {
        guard var state = links[link] else { return }
        guard !state.pending.isEmpty else {
            return fail(
                .oneAnswerPerMessage, "an answer for \(id) with no message waiting for one", link: link)
        }
        guard let index = state.pending.firstIndex(where: { $0.id == id }) else {
            return fail(.oneAnswerPerMessage, "a second answer for \(id)", link: link)
        }
        if index > 0, durableStore {
            // An earlier message still awaits the store: this answer overtook its ack.
            state.pending.remove(at: index)
            links[link]!.pending = state.pending
            if var tags = pendingTags[link], tags.count > index {
                let tag = tags.remove(at: index)
                pendingTags[link] = tags
                if let tag, let session { tagSender[tag] = session }
            }
            return
        }
        if index > 0 {
            // Report the gap once, then carry on from this answer.
            fail(
                .oneAnswerPerMessage,
                "an answer for \(id) while \(state.pending[..<index].map(\.id).joined(separator: ", ")), sent earlier, had none",
                link: link)
        }
        state.pending.removeFirst(index + 1)
        links[link]!.pending = state.pending
        var tag: String?
        if let tags = pendingTags[link], tags.count > index {
            tag = tags[index]
            pendingTags[link]!.removeFirst(index + 1)
        }
        if let tag, let session { tagSender[tag] = session }
    }

    private func record(_ link: Int, _ line: String) {
        guard let user = links[link]?.user else { return }
        timeline?.append("u\(user)#\(link) \(line)")
        links[link]!.log.append(line)
        if links[link]!.log.count > logLimit { links[link]!.log.removeFirst(logLimit / 4) }
    }

    private func fail(_ invariant: ChaosInvariant, _ detail: String, link: Int, session: String? = nil) {
        var frames = links[link]?.log ?? []
        if let session {
            // The shrunk view for a live run: only the frames naming the session concerned.
            frames = frames.filter { $0.contains("\"\(session)\"") }
        }
        let user = links[link].map { "user \($0.user), " } ?? ""
        violations.append(ChaosViolation(invariant, "\(user)connection #\(link): \(detail)", frames: frames))
    }
}
