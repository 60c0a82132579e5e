import Reactor

/// One Engine.IO v4 session as a pure state machine: requests, frames and the time go in,
/// ``Action``s come out; the I/O shell carries them out. No sockets, no clock.
///
/// What it enforces (Engine.IO protocol v4):
/// - the handshake answer (``openPacket``) with `sid`, `upgrades`, `pingInterval`,
///   `pingTimeout`, `maxPayload`;
/// - polling: at most one pending GET (a second one closes the session: the pending GET gets
///   a `close` packet, the new one 400); a GET or POST after the upgrade gets 400 and the
///   session lives on; packets queued while no GET is pending go out with the next one, in
///   order, at most `maxPayload` bytes per response;
/// - heartbeat: a `ping` every `pingInterval` after the last pong; no pong within
///   `pingTimeout` closes the session;
/// - upgrade: one WebSocket per session; `2probe` is answered `3probe` and a pending GET gets
///   `noop` (so the client's poll ends cleanly); after `upgrade` every queued packet goes out
///   on the WebSocket, in order, exactly once; a probe that does not finish within
///   `upgradeTimeout` is closed and polling goes on;
/// - close: a client `close` packet ends the session (a pending GET gets `noop`); a cancelled
///   pending GET ends it too (the client went away).
///
/// Not here: concurrent POSTs. The shell hands this machine a POST only once its whole body
/// is in, and handles one at a time, so two POSTs can never overlap in the machine.
public struct EngineIOSession: Sendable {
    /// The transports.
    public enum Transport: String, Sendable, Hashable {
        /// HTTP long-polling.
        case polling
        /// WebSocket.
        case websocket
    }

    /// What the shell must do.
    public enum Action: Sendable, Hashable {
        /// Answer the held GET: 200 with this payload.
        case answerPoll([UInt8])
        /// Send a packet on the session's WebSocket (the active one, or the probing one).
        case sendWebSocket(EngineIOPacket)
        /// Close the session's WebSocket.
        case closeWebSocket
        /// Hand a message to the layer above (Socket.IO).
        case deliver(EngineIOData)
        /// The session ended; forget it. Comes last in its batch.
        case closed(EngineIOCloseReason)
    }

    /// How the shell answers a GET.
    public enum PollDecision: Sendable, Hashable {
        /// 200 with this payload, now.
        case answer([UInt8])
        /// Hold the request until an ``Action/answerPoll(_:)``.
        case hold
        /// Answer with the error's status.
        case refuse(EngineIOError)
    }

    /// The session id.
    public let sid: String
    /// The settings.
    public let configuration: EngineIOConfiguration
    /// The transport in use.
    public private(set) var transport: Transport
    /// Whether the session has ended.
    public private(set) var isClosed = false

    private var queue: [EngineIOPacket] = []
    private var queuedBytes = 0
    private var pollPending = false
    private var nextPing: MonotonicInstant?
    private var pongDeadline: MonotonicInstant?
    private var probe: Probe = .none
    private var upgradeDeadline: MonotonicInstant?

    private enum Probe: Sendable, Hashable {
        case none
        /// A WebSocket joined the session; no probe yet.
        case attached
        /// `3probe` sent; waiting for `upgrade`.
        case probed
    }

    /// Starts a session on `transport` at `now`; the first ping is due `pingInterval` later.
    public init(sid: String, transport: Transport, configuration: EngineIOConfiguration, now: MonotonicInstant) {
        self.sid = sid
        self.transport = transport
        self.configuration = configuration
        nextPing = now.advanced(by: configuration.pingInterval)
    }

    /// The `open` packet: the answer to the handshake GET (polling) or the first WebSocket
    /// frame. Only a polling session offers the upgrade.
    public var openPacket: EngineIOPacket {
        EngineIOPacket(
            .open, .text(configuration.openPayload(sid: sid, upgrades: transport == .polling ? ["websocket"] : [])))
    }

    /// Whether the session's messages travel as single WebSocket frames right now (the
    /// upgraded or WebSocket-only transport): then ``send(_:)`` would only ever answer
    /// ``Action/sendWebSocket(_:)`` with a `message` packet, and a received `message` packet
    /// would only ever be delivered, so a shell may take those two steps itself on its hot path.
    public var isWebSocketDirect: Bool { transport == .websocket && !isClosed }

    /// When ``tick(now:)`` next has something to do.
    public var nextDeadline: MonotonicInstant? {
        guard !isClosed else { return nil }
        // Read after every batch of a busy session: no array on this path.
        return MonotonicInstant.earliest(MonotonicInstant.earliest(nextPing, pongDeadline), upgradeDeadline)
    }

    // MARK: Polling

    /// A GET arrived for this session.
    public mutating func poll(now: MonotonicInstant) -> (PollDecision, [Action]) {
        guard !isClosed else { return (.refuse(.unknownSession), []) }
        guard transport == .polling else { return (.refuse(.badRequest("the session uses websocket")), []) }
        if pollPending {
            let actions = closeSession(.duplicatePoll, pendingAnswer: .close)
            return (.refuse(.duplicatePoll), actions)
        }
        if !queue.isEmpty { return (.answer(takeBatch()), []) }
        if probe == .probed { return (.answer(EngineIOPacket(.noop).encoded), []) }
        pollPending = true
        return (.hold, [])
    }

    /// The held GET's connection closed before it was answered: the client went away.
    public mutating func pollAbandoned(now: MonotonicInstant) -> [Action] {
        guard !isClosed, pollPending else { return [] }
        pollPending = false
        return closeSession(.transportClosed, pendingAnswer: nil)
    }

    /// A POST arrived with `body`. `nil` error: answer 200 `ok`.
    public mutating func post(_ body: [UInt8], now: MonotonicInstant) -> (EngineIOError?, [Action]) {
        guard !isClosed else { return (.unknownSession, []) }
        guard transport == .polling else { return (.badRequest("the session uses websocket"), []) }
        let packets: [EngineIOPacket]
        do {
            packets = try EngineIOPayload.decode(body, maxPayload: configuration.maxPayload)
        } catch {
            return (error, closeSession(.protocolError, pendingAnswer: .close))
        }
        var actions: [Action] = []
        for packet in packets {
            guard !isClosed else { break }
            if let error = receive(packet, now: now, actions: &actions) {
                actions += closeSession(.protocolError, pendingAnswer: .close)
                return (error, actions)
            }
        }
        return (nil, actions)
    }

    // MARK: WebSocket

    /// A WebSocket asks to join this session (`sid` in its query). `false`: refuse it (close
    /// it); a session has one WebSocket at most, and only a polling session can upgrade.
    public mutating func webSocketJoined(now: MonotonicInstant) -> Bool {
        guard !isClosed, transport == .polling, probe == .none else { return false }
        probe = .attached
        upgradeDeadline = now.advanced(by: configuration.upgradeTimeout)
        return true
    }

    /// A frame arrived on the session's WebSocket.
    public mutating func webSocketReceived(_ packet: EngineIOPacket, now: MonotonicInstant) -> [Action] {
        guard !isClosed else { return [] }
        if transport == .polling {
            return probing(packet, now: now)
        }
        var actions: [Action] = []
        if receive(packet, now: now, actions: &actions) != nil {
            actions += closeSession(.protocolError, pendingAnswer: nil)
        }
        return actions
    }

    /// A text frame that did not parse: a protocol error. On the active WebSocket it ends the
    /// session; on a probing one only the probe ends.
    public mutating func webSocketReceivedInvalidFrame(now: MonotonicInstant) -> [Action] {
        guard !isClosed else { return [] }
        if transport == .polling { return abandonProbe() }
        return closeSession(.protocolError, pendingAnswer: nil)
    }

    /// The session's WebSocket closed. A probing one leaves the session on polling.
    public mutating func webSocketClosed(now: MonotonicInstant) -> [Action] {
        guard !isClosed else { return [] }
        if transport == .polling {
            probe = .none
            upgradeDeadline = nil
            return []
        }
        return closeSession(.transportClosed, pendingAnswer: nil, socketOpen: false)
    }

    private mutating func probing(_ packet: EngineIOPacket, now: MonotonicInstant) -> [Action] {
        switch (probe, packet.type, packet.data) {
        case (.attached, .ping, .text(let text)) where text == Array("probe".utf8):
            probe = .probed
            var actions: [Action] = [.sendWebSocket(EngineIOPacket(.pong, .text(text)))]
            if pollPending {
                pollPending = false
                actions.append(.answerPoll(EngineIOPacket(.noop).encoded))
            }
            return actions
        case (.probed, .upgrade, _):
            transport = .websocket
            probe = .none
            upgradeDeadline = nil
            var actions: [Action] = []
            if pollPending {
                pollPending = false
                actions.append(.answerPoll(EngineIOPacket(.noop).encoded))
            }
            for queued in queue { actions.append(.sendWebSocket(queued)) }
            queue = []
            queuedBytes = 0
            return actions
        default:
            return abandonProbe()
        }
    }

    private mutating func abandonProbe() -> [Action] {
        probe = .none
        upgradeDeadline = nil
        return [.closeWebSocket]
    }

    // MARK: Application

    /// The layer above sends a message.
    public mutating func send(_ data: EngineIOData) -> [Action] {
        enqueue(EngineIOPacket(.message, data))
    }

    /// The server ends the session (the client is told with a `close` packet).
    public mutating func close() -> [Action] {
        guard !isClosed else { return [] }
        return closeSession(.serverClosed, pendingAnswer: .close)
    }

    // MARK: Time

    /// Runs the heartbeat and the upgrade timeout.
    public mutating func tick(now: MonotonicInstant) -> [Action] {
        guard !isClosed else { return [] }
        var actions: [Action] = []
        if let deadline = pongDeadline, deadline <= now {
            return closeSession(.pingTimeout, pendingAnswer: .close)
        }
        if let deadline = upgradeDeadline, deadline <= now {
            actions += abandonProbe()
        }
        if let due = nextPing, due <= now {
            nextPing = nil
            pongDeadline = now.advanced(by: configuration.pingTimeout)
            actions += enqueue(EngineIOPacket(.ping))
        }
        return actions
    }

    // MARK: Internals

    /// Handles a packet on the active transport; a non-nil result is a protocol error.
    private mutating func receive(_ packet: EngineIOPacket, now: MonotonicInstant, actions: inout [Action])
        -> EngineIOError?
    {
        switch packet.type {
        case .message:
            actions.append(.deliver(packet.data))
        case .pong:
            pongDeadline = nil
            nextPing = now.advanced(by: configuration.pingInterval)
        case .ping:
            // v4 clients do not ping; one that does is answered rather than dropped.
            actions += enqueue(EngineIOPacket(.pong, packet.data))
        case .close:
            actions += closeSession(.clientClosed, pendingAnswer: .noop)
        case .noop:
            break
        case .open, .upgrade:
            return .badPacket("unexpected \(packet.type) packet")
        }
        return nil
    }

    private mutating func enqueue(_ packet: EngineIOPacket) -> [Action] {
        guard !isClosed else { return [] }
        if transport == .websocket { return [.sendWebSocket(packet)] }
        queue.append(packet)
        queuedBytes += packet.data.bytes.count + 1
        if pollPending {
            pollPending = false
            return [.answerPoll(takeBatch())]
        }
        if queuedBytes > configuration.maxQueuedBytes {
            return closeSession(.queueOverflow, pendingAnswer: nil)
        }
        return []
    }

    /// Queued packets up to `maxPayload` bytes (at least one), encoded as a payload.
    private mutating func takeBatch() -> [UInt8] {
        var bytes: [UInt8] = []
        var taken = 0
        for packet in queue {
            var record: [UInt8] = []
            EngineIOPayload.encodeRecord(packet, into: &record)
            if taken > 0, bytes.count + 1 + record.count > configuration.maxPayload { break }
            if taken > 0 { bytes.append(EngineIOPayload.separator) }
            bytes += record
            taken += 1
            queuedBytes -= packet.data.bytes.count + 1
        }
        queue.removeFirst(taken)
        return bytes
    }

    private enum PendingAnswer { case close, noop }

    private mutating func closeSession(
        _ reason: EngineIOCloseReason, pendingAnswer: PendingAnswer?, socketOpen: Bool = true
    ) -> [Action] {
        var actions: [Action] = []
        if pollPending {
            pollPending = false
            let packet = EngineIOPacket(pendingAnswer == .noop ? .noop : .close)
            actions.append(.answerPoll(packet.encoded))
        }
        if socketOpen, transport == .websocket || probe != .none {
            if transport == .websocket, reason == .serverClosed || reason == .pingTimeout {
                actions.append(.sendWebSocket(EngineIOPacket(.close)))
            }
            actions.append(.closeWebSocket)
        }
        isClosed = true
        queue = []
        queuedBytes = 0
        nextPing = nil
        pongDeadline = nil
        upgradeDeadline = nil
        actions.append(.closed(reason))
        return actions
    }
}

/// Why a session ended.
public enum EngineIOCloseReason: String, Sendable, Hashable {
    /// The client sent `close`.
    case clientClosed = "client namespace disconnect"
    /// The server closed it.
    case serverClosed = "server shutting down"
    /// No pong within `pingTimeout`.
    case pingTimeout = "ping timeout"
    /// The transport went away (socket closed, poll cancelled).
    case transportClosed = "transport close"
    /// A packet or request broke the protocol.
    case protocolError = "parse error"
    /// Two GETs at once.
    case duplicatePoll = "duplicate poll"
    /// Too much queued for a client that does not poll.
    case queueOverflow = "queue overflow"
}

extension MonotonicInstant {
    /// The earlier of two optional instants (nil only when both are).
    package static func earliest(_ a: MonotonicInstant?, _ b: MonotonicInstant?) -> MonotonicInstant? {
        guard let a else { return b }
        guard let b else { return a }
        return min(a, b)
    }
}
