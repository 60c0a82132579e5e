import HTTP1
import Reactor
import WebSocket

/// A WebSocket client connection on the Reactor, built from the same codecs as the server:
/// TCP connect (optionally from a chosen source address), the §4.1 handshake, then the
/// client-mode state machine. Loop-confined; `persona bench echo` runs thousands of these.
public final class WebSocketClient: ConnectionHandler {
    /// The loop the client lives on.
    public let loop: EventLoop
    /// Held until the connection ends (then released, which breaks the owner ↔ client cycle);
    /// strong because a weak reference would slow every callback on the receive path.
    private var delegate: (any WebSocketClientDelegate)?
    // Hot first: what every message touches shares the object's first cache lines.
    private var tcp: TCPConnection?
    private var upgraded = false
    /// Free for the owner's bookkeeping (e.g. an index into its own tables).
    public var tag = 0
    /// The protocol machine; meaningful once `upgraded` (until then a placeholder, replaced
    /// when the handshake completes). Not an optional: `machine!` on an optional struct copied
    /// the whole machine, receive buffer included, on every message.
    private var machine: WebSocketConnection
    private var ended = false
    private var timer: TimerID?
    private var timerDeadline: MonotonicInstant?
    private let handshake: WebSocketClientHandshake
    private var responseParser = HTTP1ResponseHeadParser()
    private let configuration: WebSocketConnection.Configuration

    /// Starts connecting to `address` and requesting `path` (loop thread only). The delegate
    /// is kept until it has been told the connection ended.
    public init(
        to address: SocketAddress, host: String? = nil, path: String = "/", from source: SocketAddress? = nil,
        on loop: EventLoop, configuration: WebSocketConnection.Configuration = .init(),
        connectTimeout: Duration = .seconds(10), delegate: any WebSocketClientDelegate
    ) {
        self.loop = loop
        self.delegate = delegate
        self.configuration = configuration
        // A placeholder that never sends (`upgraded` is false until the real one replaces it).
        machine = .client(configuration: configuration, maskingKeys: MaskingKeyGenerator(seed: 0), now: loop.now())
        var random = MaskingKeyGenerator()
        handshake = WebSocketClientHandshake(host: host ?? address.description, path: path, using: &random)
        TCPConnection.connect(to: address, from: source, on: loop, timeout: connectTimeout) { [self] result in
            switch result {
            case .success(let connection):
                tcp = connection
                connection.handler = self
                connection.write(handshake.encodedRequest())
            case .failure(let error):
                end(closure: nil, failure: .connect("\(error)"))
            }
        }
    }

    /// Whether the handshake completed and the connection is open.
    public var isOpen: Bool { upgraded && machine.isOpen }

    /// Sends a message (ignored unless open).
    public func send(_ message: WebSocketMessage) {
        guard upgraded else { return }
        // Encoded straight into the TCP connection's outbound buffer.
        tcp?.write { bytes in _ = machine.send(message, appendingTo: &bytes) }
    }

    /// Starts the close handshake.
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        guard upgraded else {
            tcp?.close()
            return
        }
        perform(machine.close(code: code, reason: reason, now: loop.now()))
        rearmIfEarlier()
    }

    /// Drops the TCP connection without a close handshake.
    public func abort() { tcp?.close() }

    // MARK: ConnectionHandler

    public func connectionDidRead(_ connection: TCPConnection, _ bytes: UnsafeRawBufferPointer) {
        if upgraded {
            perform(machine.receive(bytes, now: loop.now()))
            return
        }
        let parsed: (head: HTTP1ResponseHead, remainder: [UInt8])?
        do {
            parsed = try responseParser.feed(bytes)
        } catch {
            fail(.handshake("malformed response: \(error)"))
            return
        }
        guard let (head, remainder) = parsed else { return }
        do {
            _ = try handshake.validate(head)
        } catch {
            fail(.handshake("\(head.status.code) \(error)"))
            return
        }
        machine = WebSocketConnection.client(
            configuration: configuration, maskingKeys: MaskingKeyGenerator(), now: loop.now())
        upgraded = true
        let actions = remainder.isEmpty ? [] : machine.receive(remainder, now: loop.now())
        delegate?.webSocketClientDidConnect(self)
        perform(actions)
        rearmIfEarlier()
    }

    public func connectionDidReadEOF(_ connection: TCPConnection) {
        connection.close()
    }

    public func connectionDidClose(_ connection: TCPConnection, error: SystemError?) {
        if let timer { loop.cancelTimer(timer) }
        timer = nil
        if upgraded {
            end(closure: machine.transportClosed(), failure: nil)
        } else {
            end(closure: nil, failure: .closedDuringHandshake)
        }
    }

    // MARK: Internals

    private func fail(_ failure: WebSocketClientError) {
        end(closure: nil, failure: failure)
        tcp?.close()
    }

    private func end(closure: WebSocketClosure?, failure: WebSocketClientError?) {
        guard !ended else { return }
        ended = true
        let delegate = self.delegate
        self.delegate = nil
        delegate?.webSocketClient(self, didEnd: closure, failure: failure)
    }

    private func perform(_ actions: [WebSocketAction]) {
        for action in actions {
            switch action {
            case .write(let bytes):
                tcp?.write(bytes)
            case .deliver(let message):
                delegate?.webSocketClient(self, didReceive: message)
            case .deliverText(let utf8):
                // Not asked for here (the client receives without `sharingText`).
                delegate?.webSocketClient(self, didReceive: .text(String(decoding: utf8, as: UTF8.self)))
            case .closeTransport(let closure):
                if closure.discardsPendingWrites { tcp?.close() } else { tcp?.closeAfterFlush() }
                end(closure: closure, failure: nil)
            }
        }
    }

    private func rearmIfEarlier() {
        guard upgraded, let deadline = machine.nextDeadline else { return }
        if let current = timerDeadline, current <= deadline { return }
        if let timer { loop.cancelTimer(timer) }
        timerDeadline = deadline
        // Strong: the timer is cancelled when the transport closes.
        timer = loop.scheduleTimer(at: deadline) { [self] in
            timer = nil
            timerDeadline = nil
            perform(machine.tick(now: loop.now()))
            rearmIfEarlier()
        }
    }
}
