import Reactor
import TLS
import Upstream

/// One connection to a Redis server, for one life: TCP, optionally TLS (a ``TLSSession`` that
/// only transforms bytes; the socket stays the Reactor's), the RESP parser, and the replies
/// awaited in order. Replies come back in the order commands were sent, so pipelining is simply
/// sending without waiting; writes made in one loop iteration leave in one `send(2)`.
///
/// Loop-confined. It never reconnects: ``RedisClient`` makes a new one.
final class RedisConnection: ConnectionHandler {
    typealias Completion = (Result<RESPValue, RedisError>) -> Void

    private struct Waiting {
        let deadline: MonotonicInstant
        let completion: Completion
    }

    private enum Phase { case connecting, handshaking, open, closed }

    private let loop: EventLoop
    private let configuration: RedisConfiguration
    private let tlsContext: TLSContext?
    private var phase = Phase.connecting
    private var tcp: TCPConnection?
    private var tls: TLSSession?
    private var parser: RESPParser
    /// Replies awaited, oldest first (`head` is the next one; consumed slots are dropped in
    /// batches so a long pipeline costs O(1) per reply).
    private var waiting: [Waiting] = []
    private var head = 0
    private var timeoutTimer: TimerID?
    private var connectTimer: TimerID?

    /// Called once the socket (and TLS) is up.
    var onOpen: (() -> Void)?
    /// Called exactly once when the connection ends, with why; every awaited reply has been
    /// failed with the same error by then.
    var onClose: ((RedisError) -> Void)?
    /// Out-of-band values: RESP3 pushes, and in subscriber mode the RESP2 pub/sub arrays.
    var onPush: ((RESPValue) -> Void)?
    /// Whether RESP2 arrays headed `message`, `subscribe`, … are pub/sub events rather than
    /// replies (only a subscribed connection receives them).
    var subscriberMode = false

    init(loop: EventLoop, configuration: RedisConfiguration, tlsContext: TLSContext?) {
        self.loop = loop
        self.configuration = configuration
        self.tlsContext = tlsContext
        self.parser = RESPParser(configuration: configuration.parser)
    }

    /// Replies still awaited.
    var waitingCount: Int { waiting.count - head }

    /// Resolves and connects; ``onOpen`` or ``onClose`` follows on the loop.
    func open() {
        connectTimer = loop.scheduleTimer(after: configuration.connectTimeout) { [weak self] in
            guard let self else { return }
            self.connectTimer = nil
            self.fail(.unavailableNow("no connection to \(self.configuration.host):\(self.configuration.port) within \(self.configuration.connectTimeout)"))
        }
        HostResolver.resolve(configuration.host, port: configuration.port, on: loop) { [weak self] resolved in
            guard let self, self.phase == .connecting else { return }
            switch resolved {
            case .failure(let error):
                self.fail(.unavailableNow("\(error)"))
            case .success(let address):
                TCPConnection.connect(to: address, on: self.loop, timeout: self.configuration.connectTimeout) {
                    [weak self] connected in
                    guard let self, self.phase == .connecting else {
                        if case .success(let tcp) = connected { tcp.close() }
                        return
                    }
                    switch connected {
                    case .failure(let error):
                        self.fail(.unavailableNow("\(error)"))
                    case .success(let tcp):
                        self.tcp = tcp
                        tcp.handler = self
                        self.startTLS()
                    }
                }
            }
        }
    }

    private func startTLS() {
        guard let tlsContext else { return becomeOpen() }
        phase = .handshaking
        do {
            let session = try TLSSession(context: tlsContext, serverName: configuration.host)
            tls = session
            try session.start()
            tcp?.write(session.takeOutbound())
        } catch {
            fail(.tls(error))
        }
    }

    private func becomeOpen() {
        phase = .open
        onOpen?()
    }

    /// Finishes the connect phase: called by the client once its handshake commands are
    /// answered (the connect timeout covers them too).
    func handshakeFinished() {
        if let connectTimer { loop.cancelTimer(connectTimer) }
        connectTimer = nil
    }

    /// Sends one command. With `expectsReply` false (pub/sub subscription changes, whose
    /// confirmations arrive as pushes) nothing is awaited and `completion` is not called.
    func send(_ arguments: [[UInt8]], expectsReply: Bool = true, _ completion: @escaping Completion) {
        guard phase == .open, let tcp else {
            completion(.failure(.connectionLost("the connection is not open")))
            return
        }
        if expectsReply {
            let deadline = loop.now().advanced(by: configuration.commandTimeout)
            waiting.append(Waiting(deadline: deadline, completion: completion))
            if timeoutTimer == nil { armTimeout(at: deadline) }
        }
        let bytes = RESPEncoder.command(arguments)
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

    private func armTimeout(at deadline: MonotonicInstant) {
        timeoutTimer = loop.scheduleTimer(at: deadline) { [weak self] in
            guard let self else { return }
            self.timeoutTimer = nil
            guard self.head < self.waiting.count else { return }
            let oldest = self.waiting[self.head]
            if oldest.deadline <= self.loop.now() {
                self.fail(.timeout(self.configuration.commandTimeout))
            } else {
                self.armTimeout(at: oldest.deadline)
            }
        }
    }

    /// Closes the connection, failing what is awaited with `error`.
    func close(_ error: RedisError) {
        fail(error)
    }

    private func fail(_ error: RedisError) {
        guard phase != .closed else { return }
        phase = .closed
        if let connectTimer { loop.cancelTimer(connectTimer) }
        if let timeoutTimer { loop.cancelTimer(timeoutTimer) }
        connectTimer = nil
        timeoutTimer = nil
        if let tls, let tcp {
            tls.close()
            tcp.write(tls.takeOutbound())
        }
        tcp?.close()
        tcp = nil
        let awaited = waiting[head...]
        waiting = []
        head = 0
        for entry in awaited { entry.completion(.failure(error)) }
        let onClose = self.onClose
        self.onClose = nil
        onClose?(error)
    }

    // MARK: ConnectionHandler

    func connectionDidRead(_ connection: TCPConnection, _ bytes: UnsafeRawBufferPointer) {
        guard phase == .open || phase == .handshaking else { return }
        if let tls {
            let plaintext: [UInt8]
            do {
                plaintext = try tls.receive(bytes)
            } catch {
                return fail(.tls(error))
            }
            let outbound = tls.takeOutbound()
            if !outbound.isEmpty { connection.write(outbound) }
            if phase == .handshaking, tls.isHandshakeComplete { becomeOpen() }
            if tls.peerClosed { return fail(.connectionLost("the server closed the TLS session")) }
            guard !plaintext.isEmpty else { return }
            parser.append(plaintext)
        } else {
            parser.append(bytes)
        }
        drainParser()
    }

    private func drainParser() {
        while phase == .open {
            let value: RESPValue
            do {
                guard let next = try parser.next() else { return }
                value = next
            } catch {
                return fail(.protocolViolation(error))
            }
            if isPush(value) {
                onPush?(value)
                continue
            }
            guard head < waiting.count else {
                return fail(.connectionLost("a reply arrived that no command was waiting for"))
            }
            let entry = waiting[head]
            head += 1
            if head == waiting.count {
                waiting.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1024, head * 2 >= waiting.count {
                waiting.removeSubrange(0..<head)
                head = 0
            }
            if let message = value.errorMessage {
                entry.completion(.failure(.server(message)))
            } else {
                entry.completion(.success(value))
            }
        }
    }

    private func isPush(_ value: RESPValue) -> Bool {
        if case .push = value { return true }
        guard subscriberMode, case .array(let items) = value, let kind = items.first?.string else { return false }
        return Self.pubSubKinds.contains(kind.lowercased())
    }

    /// RESP2 array heads that are pub/sub events on a subscribed connection.
    static let pubSubKinds: Set<String> = [
        "message", "pmessage", "smessage", "subscribe", "unsubscribe", "psubscribe", "punsubscribe",
        "ssubscribe", "sunsubscribe",
    ]

    func connectionDidReadEOF(_ connection: TCPConnection) {
        fail(.connectionLost("the server closed the connection"))
    }

    func connectionDidClose(_ connection: TCPConnection, error: SystemError?) {
        tcp = nil
        fail(.connectionLost(error.map { "\($0)" } ?? "closed"))
    }
}

extension RedisError {
    /// "Unavailable" at the moment of failure; the client fills in when it will try again.
    static func unavailableNow(_ reason: String) -> RedisError {
        .unavailable(retryAfter: .zero, reason: reason)
    }
}
