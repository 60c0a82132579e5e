import Reactor
import WebSocket

/// Drives the codecs' WebSocket state machine over a TCP connection after the upgrade: feeds it
/// bytes and the time, and carries out the actions it returns (write, deliver, close).
/// Loop-confined.
///
/// Heartbeats and the close timeout use one loop timer, armed lazily: traffic moves the
/// machine's next deadline later without touching the timer; when the timer fires early the
/// machine's `tick` is a no-op and the timer is re-armed at the new deadline. The timer is only
/// pulled forward when the deadline moves *earlier* (a close handshake begins), so a busy
/// connection costs no timer-heap work per message.
final class WebSocketServerConnection: ConnectionHandler, DrainableConnection {
    // Hot first: what every message touches shares the object's first cache lines.
    let tcp: TCPConnection
    private let loopState: LoopState
    private var handler: (any WebSocketHandler)?
    private(set) var handle: WebSocketHandle!
    private let maxOutboundBytes: Int
    private var machine: WebSocketConnection
    private var timer: TimerID?
    private var timerDeadline: MonotonicInstant?
    private var closedReported = false
    private let observer: (any HTTPServerObserver)?

    init(
        tcp: TCPConnection, loopState: LoopState, configuration: WebSocketConfiguration,
        subprotocol: String?, memoryBudget: WebSocketMemoryBudget? = nil,
        failureNotice: (@Sendable (WebSocketProtocolError) -> WebSocketMessage?)? = nil,
        clientAddress: SocketAddress? = nil, observer: (any HTTPServerObserver)? = nil,
        handler: any WebSocketHandler
    ) {
        self.tcp = tcp
        self.observer = observer
        self.loopState = loopState
        self.handler = handler
        self.maxOutboundBytes = configuration.maxOutboundBytes
        var machineConfiguration = WebSocketConnection.Configuration(
            frameLimits: .init(
                maxFrameSize: configuration.maxFrameSize, maxMessageSize: configuration.maxMessageSize),
            pingInterval: configuration.pingInterval,
            idleTimeout: configuration.pingInterval.map { $0 + configuration.pongTimeout },
            closeTimeout: configuration.closeTimeout,
            maxOutboundBufferedBytes: configuration.maxOutboundBytes)
        if configuration.pingInterval == nil { machineConfiguration.idleTimeout = nil }
        machine = .server(
            configuration: machineConfiguration, memoryBudget: memoryBudget, failureNotice: failureNotice,
            now: tcp.loop.now())
        handle = WebSocketHandle(
            self, remoteAddress: tcp.remoteAddress, clientAddress: clientAddress ?? tcp.remoteAddress,
            subprotocol: subprotocol)
    }

    var isOpen: Bool { machine.isOpen }

    /// Called right after the 101 response was queued; `initialBytes` arrived with the request.
    func start(initialBytes: [UInt8]) {
        loopState.add(self)
        handler?.webSocketDidOpen(handle)
        if !initialBytes.isEmpty {
            perform(machine.receive(initialBytes, now: tcp.loop.now()))
        }
        rearmIfEarlier()
    }

    // MARK: Transport events

    func connectionDidRead(_ connection: TCPConnection, _ bytes: UnsafeRawBufferPointer) {
        // No re-arm here: receiving only moves the machine's deadline later (or ends it), which
        // the lazy timer absorbs when it fires.
        // The loop's shared action array, taken while in use (see `LoopState`).
        var actions = loopState.spareWebSocketActions
        loopState.spareWebSocketActions = []
        // Text arriving whole in this read is handed over as the read's own bytes (no copy).
        machine.receive(bytes, now: tcp.loop.now(), into: &actions, sharingText: true)
        perform(actions)
        actions.removeAll(keepingCapacity: true)
        loopState.spareWebSocketActions = actions
        // The handlers have run: a delivered large message stays charged to the memory budget
        // only for what is still queued in answer (an echo holds its size in the output queue).
        if machine.chargedMemory > 0 { machine.deliveredMessagesHandled(queuedBytes: tcp.bufferedByteCount) }
    }

    func connectionDidDrain(_ connection: TCPConnection) {
        machine.releaseDeliveredMemory()
        handler?.webSocketDidDrain(handle)
    }

    func connectionDidReadEOF(_ connection: TCPConnection) {
        // TCP closed without (or after) the close handshake: nothing more can be said.
        connection.closeAfterFlush()
    }

    func connectionDidClose(_ connection: TCPConnection, error: SystemError?) {
        if let timer { tcp.loop.cancelTimer(timer) }
        timer = nil
        let closure = machine.transportClosed()
        machine.releaseAllMemory()
        loopState.remove(self)
        reportClosed(closure)
        // The handle holds this connection; dropping our side of the pair lets both go once the
        // application drops the handle.
        handle = nil
    }

    // MARK: Application requests

    // Sends encode straight into the TCP connection's outbound buffer.

    func send(_ message: WebSocketMessage) {
        if case .binary(let payload) = message, payload.count >= Self.adoptedPayloadSize {
            // A large payload is queued as it is behind its header, not copied (an echo of a
            // 16 MiB message would otherwise copy it on the loop and hold it twice).
            var headerWritten = false
            tcp.write { bytes in headerWritten = machine.sendHeader(ofBinary: payload.count, appendingTo: &bytes) }
            if headerWritten { tcp.write(adopting: payload) }
        } else {
            tcp.write { bytes in _ = machine.send(message, appendingTo: &bytes) }
        }
        checkOutboundLimit()
    }

    /// Binary payloads at least this large are sent without being copied: 64 KiB.
    static let adoptedPayloadSize = 64 * 1024

    func send(textUTF8 utf8: [UInt8]) {
        tcp.write { bytes in _ = machine.send(textUTF8: utf8, appendingTo: &bytes) }
        checkOutboundLimit()
    }

    func close(code: WebSocketCloseCode, reason: String) {
        perform(machine.close(code: code, reason: reason, now: tcp.loop.now()))
        rearmIfEarlier()
    }

    func beginDrain() {
        close(code: .goingAway, reason: "server shutting down")
    }

    func forceClose() {
        tcp.close()
    }

    // MARK: Actions

    private func perform(_ actions: [WebSocketAction]) {
        var wrote = false
        for action in actions {
            switch action {
            case .write(let bytes):
                tcp.write(bytes)
                wrote = true
            case .deliver(let message):
                handler?.webSocket(handle, didReceive: message)
            case .deliverText(let utf8):
                guard let handler else { continue }
                utf8.withUnsafeBufferPointer { handler.webSocket(handle, didReceiveText: $0) }
            case .closeTransport(let closure):
                if closure.discardsPendingWrites {
                    tcp.close()
                } else {
                    tcp.closeAfterFlush()
                }
                reportClosed(closure)
            }
        }
        if wrote { checkOutboundLimit() }
    }

    private func checkOutboundLimit() {
        // One integer compare on the fast path; the machine decides what an overflow means.
        // Output answering a large message is already counted by the server's memory budget
        // (the message stays charged until its answer has left), so only what exceeds the
        // charge counts against this connection's own bound.
        guard tcp.bufferedByteCount > maxOutboundBytes else { return }
        let uncharged = tcp.bufferedByteCount - machine.chargedMemory
        let overflow = machine.outboundBufferedBytesChanged(uncharged, now: tcp.loop.now())
        if !overflow.isEmpty { perform(overflow) }
    }

    private func reportClosed(_ closure: WebSocketClosure) {
        guard !closedReported else { return }
        closedReported = true
        observer?.webSocketClosed(closure, client: handle.clientAddress)
        let handler = self.handler
        self.handler = nil
        handler?.webSocketDidClose(handle, closure: closure)
    }

    // MARK: Timer

    private func rearmIfEarlier() {
        guard let deadline = machine.nextDeadline else { return }
        if let current = timerDeadline, current <= deadline { return }
        if let timer { tcp.loop.cancelTimer(timer) }
        timerDeadline = deadline
        // A strong capture: the timer is cancelled when the transport closes, and a weak one
        // would give this object a side table, making every retain on the read path slower.
        timer = tcp.loop.scheduleTimer(at: deadline) { [self] in timerFired() }
    }

    private func timerFired() {
        timer = nil
        timerDeadline = nil
        perform(machine.tick(now: tcp.loop.now()))
        rearmIfEarlier()
    }
}
