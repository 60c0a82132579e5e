import ChatProtocol
import Observability
import HTTPServer
import PersonaRuntime
import Policies
import Reactor
import WebSocket

/// One event loop's chat shell: owns that loop's ``ChatHub`` and carries out the actions it
/// returns — frames onto sockets, loop timers, closes, mail to other loops' hubs. Confined to
/// its loop; every method runs there.
///
/// The hub never sees a socket and the shell never decides anything: this split is what lets
/// the runtime's tests drive every chat flow with a manual clock while this file stays a
/// dumb, auditable translation layer.
final class HubShell {
    let index: Int
    /// How many hubs the server has (connection ids interleave across them).
    let hubCount: Int
    let loop: EventLoop
    let hub: ChatHub
    /// Every shell of the server, by loop index, for mail (set once, right after creation).
    var peers: [LoopBound<HubShell>] = []
    /// The link to other nodes (`serve --redis`): mail to a hub index past this server's own
    /// hubs goes there.
    var node: NodeLink?
    /// Called once when the hub reports ``HubAction/drained``.
    var onDrained: (() -> Void)?
    /// One log line per session lifecycle event, derived from the frames sent (never text).
    var sessionLog: SessionEventLog?
    private var oneShotFlushArmed = false
    /// Counts and logs refusals (`busy`, `rate_limited`, slow-client pauses and 1008 closes)
    /// and disconnect-ended sessions.
    var events: ServerEventRecorder?
    /// Each connection's client address, for the refusal lines.
    private var clients: [ConnectionID: String] = [:]

    private var sockets: [ConnectionID: WebSocketHandle] = [:]
    private var virtuals: [ConnectionID: VirtualConnection] = [:]
    /// The virtual connection the last frame went to (still open: cleared when it closes).
    private var lastVirtual: VirtualConnection?
    /// Messages a virtual connection's listener sent while actions were being carried out,
    /// handed to the hub once the batch is done (so a listener never re-enters mid-batch).
    private var deferredMessages: [(ConnectionID, ClientMessage)] = []
    private var performing = false
    private var nextConnection: UInt64 = 0
    private var timers: [TimerToken: TimerID] = [:]
    private var scratch: [UInt8] = []
    private(set) var drained = false

    init(index: Int, of hubCount: Int, loop: EventLoop, hub: ChatHub) {
        self.index = index
        self.hubCount = hubCount
        self.loop = loop
        self.hub = hub
        scratch.reserveCapacity(512)
        hub.asyncActions = { [unowned self] actions in self.perform(actions) }
    }

    // MARK: Socket events

    /// A WebSocket opened on this loop: gives it a connection id and lets the hub greet it.
    func opened(_ socket: WebSocketHandle, client identity: ClientIdentity? = nil) -> ConnectionID {
        let id = ConnectionID.numbered(nextConnection, hub: index, of: hubCount)
        nextConnection += 1
        sockets[id] = socket
        // The per-client key is the client's IP (port excluded; behind a trusted proxy, the
        // address it vouches for): every connection from one host shares the client rate
        // limit and daily quota.
        let key = socket.clientAddress?.host ?? "unknown"
        clients[id] = key
        perform(hub.connectionOpened(id, client: identity ?? ClientIdentity(key: key)))
        return id
    }

    /// Opens a connection with no socket (see ``VirtualConnection``) for `client`; the hub's
    /// `welcome` goes to `receive` like every later frame.
    /// Numbered like sockets (one counter, ids unique across hubs): a resume that moves a
    /// session between a socket and a virtual connection, or between hubs, never meets an id
    /// that names two connections. `oneShot`: its sessions are one-shot, and the session log
    /// writes them as such (see ``SessionEventLog``).
    func openVirtual(
        client: ClientIdentity, oneShot: Bool = false, receive: @escaping (ServerMessage) -> Void
    ) -> VirtualConnection {
        let id = ConnectionID.numbered(nextConnection, hub: index, of: hubCount)
        nextConnection += 1
        let connection = VirtualConnection(id: id, receive: receive)
        virtuals[connection.id] = connection
        if oneShot { sessionLog?.expectOneShot(on: id) }
        perform(hub.connectionOpened(connection.id, client: client))
        return connection
    }

    /// A message from a virtual connection's door, already decoded.
    func deliver(_ message: ClientMessage, on id: ConnectionID) {
        guard virtuals[id] != nil else { return }
        if performing {
            deferredMessages.append((id, message))
        } else {
            perform(hub.messageReceived(id, message))
        }
    }

    /// The virtual connection is done: the hub ends its sessions as for a closed socket.
    func closeVirtual(_ id: ConnectionID) {
        guard virtuals.removeValue(forKey: id) != nil else { return }
        if lastVirtual?.id == id { lastVirtual = nil }
        perform(hub.connectionClosed(id))
        // A door closing its connection is not a client disconnecting: not counted as one.
        sessionLog?.connectionClosed(id)
        if sessionLog?.hasPendingOneShots == true, !oneShotFlushArmed, let interval = sessionLog?.oneShotInterval {
            // Counted one-shot ends are written within an interval even if no other one ends.
            oneShotFlushArmed = true
            _ = loop.scheduleTimer(after: interval) { [weak self] in
                self?.oneShotFlushArmed = false
                self?.sessionLog?.flushOneShots()
            }
        }
    }

    /// A complete text message arrived.
    func received(_ text: String, on id: ConnectionID) {
        var text = text
        let actions = text.withUTF8 { hub.textFrameReceived(id, $0) }
        perform(actions)
    }

    /// The socket closed (by either side): the hub ends its sessions.
    func closed(_ id: ConnectionID) {
        guard sockets.removeValue(forKey: id) != nil else { return }
        perform(hub.connectionClosed(id))
        let ended = sessionLog?.connectionClosed(id) ?? 0
        for _ in 0..<ended { events?.sessionDisconnected() }
        clients[id] = nil
    }

    /// Graceful drain: streaming replies may run until `deadline`.
    func drain(deadline: Duration, then done: @escaping () -> Void) {
        onDrained = done
        perform(hub.drain(deadline: LoopChatClock(loop: loop).now().advanced(by: deadline)))
        if drained || hub.isDrained { finishDrain() }
    }

    // MARK: Actions

    /// Carries out the hub's actions in order. Never re-enters the hub except for mail
    /// addressed to this very hub and for timers, which run later from the loop.
    func perform(_ actions: [HubAction]) {
        let outermost = !performing
        performing = true
        carryOut(actions)
        guard outermost else { return }
        while !deferredMessages.isEmpty {
            let (id, message) = deferredMessages.removeFirst()
            if virtuals[id] != nil { carryOut(hub.messageReceived(id, message)) }
        }
        performing = false
    }

    private func carryOut(_ actions: [HubAction]) {
        for action in actions {
            switch action {
            case .send(let id, var message):
                sessionLog?.observe(message, on: id)
                if let node { tellNode(node, message) }
                // A reply's frames come in a run for one connection: the virtual one of the
                // last frame is checked first, so a door's stream costs no lookups per token.
                if let virtual = lastVirtual, virtual.id == id {
                    virtual.receive(message)
                    continue
                }
                guard let socket = sockets[id] else {
                    if let virtual = virtuals[id] {
                        lastVirtual = virtual
                        virtual.receive(message)
                    }
                    continue
                }
                if case .error(let report) = message {
                    message = .error(crossHub(report))
                    noteRefusal(report, on: id)
                }
                scratch.removeAll(keepingCapacity: true)
                message.encode(into: &scratch)
                socket.send(textUTF8: scratch)
                // Only a peer that has stopped keeping up costs the hub a call.
                if socket.isBackedUp { reportBacklog(of: id) }
            case .close(let id, let code, let reason):
                if code == 1008 {
                    events?.refused(.slowClientClosed, client: clients[id], [LogField("close_code", 1008)])
                }
                if let virtual = virtuals[id] {
                    // Reported to the hub after this batch, as a socket's close would be.
                    let callback = virtual.onClose
                    virtual.onClose = nil
                    callback?(code, reason)
                    loop.executeOnLoop { [unowned self] in closeVirtual(id) }
                }
                sockets[id]?.close(code: WebSocketCloseCode(rawValue: code), reason: reason)
            case .scheduleTimer(let token, let instant):
                timers[token] = loop.scheduleTimer(at: LoopChatClock.loopInstant(instant)) { [unowned self] in
                    timers[token] = nil
                    perform(hub.timerFired(token))
                }
            case .cancelTimer(let token):
                if let timer = timers.removeValue(forKey: token) { _ = loop.cancelTimer(timer) }
            case .mail(let target, let mail):
                if target == index {
                    // Delivered after the current batch, like cross-loop mail, so ordering is
                    // the same whichever loop the partner happens to live on.
                    loop.executeOnLoop { [unowned self] in perform(hub.mailReceived(mail)) }
                } else if peers.indices.contains(target) {
                    let peer = peers[target]
                    peer.loop.execute { peer.value.perform(peer.value.hub.mailReceived(mail)) }
                } else {
                    node?.forward(mail, to: target)
                }
            case .drained:
                drained = true
                finishDrain()
            }
        }
    }

    /// What the node link must know of a frame: a session ended (its presence entry goes), or
    /// started or resumed here (its entry names this node; a resume asks another holder to let go).
    private func tellNode(_ node: NodeLink, _ message: ServerMessage) {
        switch message {
        case .sessionEnded(let session, _, _): node.presenceEnded(session)
        case .sessionStarted(let start):
            node.sessionHeld(PresenceEntry(start, tenant: hub.tenant(of: start.session), node: node.nodeID), resumed: false)
        case .sessionResumed(let start, _):
            node.sessionHeld(PresenceEntry(start, tenant: hub.tenant(of: start.session), node: node.nodeID), resumed: true)
        default: break
        }
    }

    /// Tells the hub how much output is queued for `id` (after a send found the peer behind,
    /// and when its output has drained), so it can pause or resume that connection's pacing.
    func reportBacklog(of id: ConnectionID) {
        guard let socket = sockets[id] else { return }
        let pausedBefore = hub.counters.slowConsumersPaused
        perform(hub.connectionBacklog(id, bytes: socket.queuedByteCount))
        if hub.counters.slowConsumersPaused > pausedBefore {
            events?.refused(.slowClientPaused, client: clients[id], [LogField("queued_bytes", .int(socket.queuedByteCount))])
        }
    }

    /// Counts and logs the refusals an operator watches for abuse.
    private func noteRefusal(_ report: ErrorReport, on id: ConnectionID) {
        let reason: RefusalReason
        switch report.code {
        case .busy: reason = .busy
        case .rateLimited: reason = .rateLimited
        default: return
        }
        events?.refused(reason, client: clients[id], [LogField("code", .string(report.code.rawValue))])
    }

    /// A connection's sessions always live on its own hub, so a session id naming another
    /// hub (`s<k>-<n>`, k ≠ this hub) is certainly not the sender's. The hub, which knows only
    /// its own sessions, calls it `unknown_session`; answered `not_your_session` instead, so
    /// the answer does not depend on which loops the two clients happened to land on.
    private func crossHub(_ report: ErrorReport) -> ErrorReport {
        guard report.code == .unknownSession, let session = report.session, session.hasPrefix("s"),
            let dash = session.firstIndex(of: "-"),
            let hubIndex = Int(session[session.index(after: session.startIndex)..<dash]),
            hubIndex != index, peers.indices.contains(hubIndex)
        else { return report }
        var report = report
        report.code = .notYourSession
        report.message = "session '\(session)' is not one of this connection's sessions"
        return report
    }

    private func finishDrain() {
        let done = onDrained
        onDrained = nil
        done?()
    }
}
