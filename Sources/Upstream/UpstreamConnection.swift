import HTTP1
import Reactor
import TLS

/// One kept-alive connection to an upstream: TCP, optionally TLS through a ``TLSSession`` that
/// only transforms bytes (the socket stays the Reactor's), and at most one exchange at a time.
final class UpstreamConnection: ConnectionHandler {
    enum Phase { case connecting, handshaking, ready, closed }

    let endpoint: UpstreamEndpoint
    private let loop: EventLoop
    private(set) var phase = Phase.connecting
    private var tcp: TCPConnection?
    private var tls: TLSSession?
    private var onReady: ((Result<Void, UpstreamError>) -> Void)?
    private var connectTimer: TimerID?
    /// The exchange in progress.
    var exchange: UpstreamExchange?
    /// Called when the connection closes while idle (the pool forgets it).
    var onIdleClose: ((UpstreamConnection) -> Void)?
    /// Exchanges this connection has carried (the first one is "fresh").
    var exchangesCarried = 0

    init(endpoint: UpstreamEndpoint, loop: EventLoop) {
        self.endpoint = endpoint
        self.loop = loop
    }

    /// Resolves, connects and (for TLS) handshakes; `completion` runs once on the loop.
    func open(tlsContexts: TLSContextCache, _ completion: @escaping (Result<Void, UpstreamError>) -> Void) {
        onReady = completion
        connectTimer = loop.scheduleTimer(after: endpoint.connectTimeout) { [weak self] in
            guard let self else { return }
            self.connectTimer = nil
            self.fail(.connect("\(self.endpoint): no connection within \(self.endpoint.connectTimeout)"))
        }
        HostResolver.resolve(endpoint.host, port: endpoint.port, on: loop) { [weak self] result in
            guard let self, self.phase == .connecting else { return }
            switch result {
            case .failure(let error):
                self.fail(error)
            case .success(let address):
                TCPConnection.connect(to: address, on: self.loop, timeout: self.endpoint.connectTimeout) {
                    [weak self] connected in
                    guard let self else {
                        if case .success(let tcp) = connected { tcp.close() }
                        return
                    }
                    switch connected {
                    case .failure(let error):
                        self.fail(.connect("\(self.endpoint): \(error)"))
                    case .success(let tcp):
                        guard self.phase == .connecting else {
                            tcp.close()
                            return
                        }
                        self.tcp = tcp
                        tcp.handler = self
                        self.startTLS(tlsContexts)
                    }
                }
            }
        }
    }

    private func startTLS(_ contexts: TLSContextCache) {
        guard endpoint.isTLS else { return becomeReady() }
        phase = .handshaking
        do {
            let session = try TLSSession(
                context: contexts.context(caFile: endpoint.caFile), serverName: endpoint.host)
            tls = session
            try session.start()
            tcp?.write(session.takeOutbound())
        } catch {
            fail(.tls(error))
        }
    }

    private func becomeReady() {
        phase = .ready
        if let timer = connectTimer { loop.cancelTimer(timer) }
        connectTimer = nil
        let ready = onReady
        onReady = nil
        ready?(.success(()))
    }

    /// Sends bytes (encrypting them when TLS is on).
    func send(_ bytes: [UInt8]) {
        guard let tcp else { return }
        if let tls {
            do {
                try tls.send(bytes)
            } catch {
                return fail(.tls(error))
            }
            tcp.write(tls.takeOutbound())
        } else {
            tcp.write(bytes)
        }
    }

    /// Whether the connection can carry another exchange.
    var isReusable: Bool { phase == .ready && exchange == nil && tcp?.isOpen == true }

    /// Closes at once (a cancelled exchange: no more bytes are read or paid for).
    func close() {
        guard phase != .closed else { return }
        phase = .closed
        if let timer = connectTimer { loop.cancelTimer(timer) }
        connectTimer = nil
        tcp?.close()
    }

    private func fail(_ error: UpstreamError) {
        guard phase != .closed else { return }
        close()
        if let ready = onReady {
            onReady = nil
            ready(.failure(error))
        } else if let exchange {
            self.exchange = nil
            exchange.connectionFailed(error)
        }
    }

    // MARK: ConnectionHandler

    func connectionDidRead(_ connection: TCPConnection, _ bytes: UnsafeRawBufferPointer) {
        guard phase != .closed else { return }
        var plaintext: [UInt8]
        if let tls {
            do {
                plaintext = try tls.receive(bytes)
            } catch {
                return fail(.tls(error))
            }
            let outbound = tls.takeOutbound()
            if !outbound.isEmpty { connection.write(outbound) }
            if phase == .handshaking, tls.isHandshakeComplete { becomeReady() }
        } else {
            plaintext = Array(bytes)
        }
        guard !plaintext.isEmpty else { return }
        if let exchange {
            exchange.received(plaintext)
        } else {
            // Bytes nobody asked for: the connection is out of step; drop it.
            close()
            onIdleClose?(self)
        }
    }

    func connectionDidReadEOF(_ connection: TCPConnection) {
        guard phase != .closed else { return }
        if let exchange {
            exchange.receivedEOF()
        }
        if phase != .closed {
            close()
            if let exchange {
                self.exchange = nil
                exchange.connectionFailed(.reset("closed by the upstream"))
            } else if onReady != nil {
                fail(.connect("closed during the handshake"))
            } else {
                onIdleClose?(self)
            }
        }
    }

    func connectionDidClose(_ connection: TCPConnection, error: SystemError?) {
        tcp = nil
        let wasOpen = phase != .closed
        phase = .closed
        if let timer = connectTimer { loop.cancelTimer(timer) }
        connectTimer = nil
        if let ready = onReady {
            onReady = nil
            ready(.failure(.connect(error.map { "\($0)" } ?? "closed during connect")))
        } else if let exchange {
            self.exchange = nil
            exchange.connectionFailed(.reset(error.map { "\($0)" } ?? "closed"))
        } else if wasOpen {
            onIdleClose?(self)
        } else {
            onIdleClose?(self)
        }
    }
}
