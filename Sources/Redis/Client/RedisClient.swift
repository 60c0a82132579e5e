import Reactor
import TLS

/// A Redis client on one event loop that keeps itself connected.
///
/// Commands go out as soon as they are sent and replies come back in order, so several
/// ``send(_:_:)`` calls in a row are a pipeline (one `send(2)` per loop iteration). The client
/// connects, speaks TLS for `rediss://`, says `HELLO 3` (RESP3) with `AUTH` or `AUTH`/`SELECT`
/// (RESP2), and when the connection is lost it reconnects after ``RedisBackoff`` delays with
/// jitter, forever, until ``close()``.
///
/// What a command meets in each state (the typed errors are what a server turns into
/// `unavailable` with `retry_after_ms`):
/// - connected: sent at once; a reply, ``RedisError/server(_:)`` for an error reply,
///   ``RedisError/timeout(_:)`` after ``RedisConfiguration/commandTimeout`` (the connection is
///   then dropped and remade, since a late reply would answer the wrong command), or
///   ``RedisError/connectionLost(_:)`` if the connection drops first (the command may have run);
/// - connecting: held and sent after the handshake, in order (or failed with
///   ``RedisError/unavailable(retryAfter:reason:)`` if the attempt fails);
/// - waiting to reconnect: failed at once with ``RedisError/unavailable(retryAfter:reason:)``,
///   `retryAfter` being the time left before the next attempt — callers are never left hanging
///   on a dead server.
///
/// Loop-confined: create it anywhere, then use it only on ``loop``.
public final class RedisClient {
    /// What the client is doing.
    public enum Status: Hashable, Sendable {
        /// Not started yet.
        case idle
        /// Connecting or handshaking.
        case connecting
        /// Connected and handshaken.
        case ready
        /// Waiting before the next attempt, after `error`.
        case waiting(RedisError)
        /// Closed by its owner.
        case closed
    }

    /// The loop the client lives on.
    public let loop: EventLoop
    /// The configuration (its host and port change when ``endpoints`` moves the client to
    /// another node).
    public private(set) var configuration: RedisConfiguration
    private let tlsContext: TLSContext?
    private var connection: RedisConnection?
    /// The current status.
    public private(set) var status = Status.idle
    private var held: [(arguments: [[UInt8]], completion: RedisConnection.Completion)] = []
    private var attempt = 0
    private var reconnectTimer: TimerID?
    private var nextAttempt: MonotonicInstant?
    /// Where jitter comes from: a number in `0...1` (tests inject a fixed one).
    var randomUnit: () -> Double = { Double.random(in: 0...1) }
    /// Connections made and handshaken since the start (1 after the first connect).
    public private(set) var connectionsMade = 0

    /// Called on each status change.
    public var onStatusChange: ((Status) -> Void)?
    /// Out-of-band values (RESP3 pushes; pub/sub events on a subscriber's connection).
    public var onPush: ((RESPValue) -> Void)?
    /// Commands sent right after each handshake without awaiting replies (a subscriber's
    /// `SUBSCRIBE`s).
    var commandsAfterHandshake: () -> [[[UInt8]]] = { [] }
    /// Whether the connection carries pub/sub (see ``RedisConnection/subscriberMode``).
    var subscriberMode = false
    /// Where else the client may connect: asked after each lost connection, and when it
    /// names more than one node the next attempt goes to the node after the current one (in
    /// the list's order). A subscriber in a Redis Cluster uses it to move to another master
    /// when its node dies (any node hears every `PUBLISH`). Nil or empty: always the same server.
    package var endpoints: (() -> [RedisClusterNode])?

    /// Makes a client; the TLS context for `rediss://` is made here (it reads the CA file).
    public init(configuration: RedisConfiguration, loop: EventLoop) throws(RedisError) {
        self.configuration = configuration
        self.loop = loop
        if configuration.usesTLS {
            do {
                tlsContext = try TLSContext(configuration.tls)
            } catch {
                throw .tls(error)
            }
        } else {
            tlsContext = nil
        }
    }

    /// Starts connecting. Loop thread only.
    public func start() {
        precondition(loop.inEventLoop, "a RedisClient is used only on its loop")
        guard status == .idle else { return }
        connect()
    }

    /// Whether commands go out at once.
    public var isReady: Bool { status == .ready }

    /// Commands sent or held and not yet answered.
    public var pendingCount: Int { (connection?.waitingCount ?? 0) + held.count }

    /// Sends one command given as text arguments (`["SET", "key", "value"]`).
    public func send(_ arguments: [String], _ completion: @escaping (Result<RESPValue, RedisError>) -> Void) {
        send(bytes: arguments.map { Array($0.utf8) }, completion)
    }

    /// Sends one command given as binary arguments.
    public func send(bytes arguments: [[UInt8]], _ completion: @escaping (Result<RESPValue, RedisError>) -> Void) {
        precondition(loop.inEventLoop, "a RedisClient is used only on its loop")
        guard pendingCount < configuration.maxPendingCommands else {
            completion(.failure(.tooManyPending(limit: configuration.maxPendingCommands)))
            return
        }
        switch status {
        case .ready:
            connection?.send(arguments, completion)
        case .connecting, .idle:
            held.append((arguments, completion))
            if status == .idle { connect() }
        case .waiting(let error):
            completion(.failure(unavailable(after: error)))
        case .closed:
            completion(.failure(.closed))
        }
    }

    /// Sends a command whose answer arrives as a push (pub/sub subscription changes). Dropped
    /// when not connected: ``commandsAfterHandshake`` restores subscriptions on reconnect.
    func sendWithoutReply(_ arguments: [[UInt8]]) {
        guard status == .ready else { return }
        connection?.send(arguments, expectsReply: false) { _ in }
    }

    /// Closes the connection and stops reconnecting; what is pending fails with
    /// ``RedisError/closed``.
    public func close() {
        precondition(loop.inEventLoop, "a RedisClient is used only on its loop")
        guard status != .closed else { return }
        setStatus(.closed)
        if let reconnectTimer { loop.cancelTimer(reconnectTimer) }
        reconnectTimer = nil
        failHeld(.closed)
        connection?.close(.closed)
        connection = nil
    }

    /// Drops the current connection as if it had been lost (tests and operators' "reconnect").
    package func dropConnection() {
        connection?.close(.connectionLost("dropped by the owner"))
    }

    // MARK: Lifecycle

    private func connect() {
        setStatus(.connecting)
        let connection = RedisConnection(loop: loop, configuration: configuration, tlsContext: tlsContext)
        connection.subscriberMode = subscriberMode
        self.connection = connection
        connection.onPush = { [weak self] value in self?.onPush?(value) }
        connection.onClose = { [weak self, weak connection] error in
            guard let self, let connection, self.connection === connection else { return }
            self.connectionEnded(error)
        }
        connection.onOpen = { [weak self, weak connection] in
            guard let self, let connection, self.connection === connection else { return }
            self.handshake(on: connection)
        }
        connection.open()
    }

    /// The commands that set a connection up, per ``RedisConfiguration/protocolVersion``.
    var handshakeCommands: [[String]] {
        var commands: [[String]] = []
        switch configuration.protocolVersion {
        case .resp3:
            var hello = ["HELLO", "3"]
            if let password = configuration.password {
                hello += ["AUTH", configuration.username ?? "default", password]
            }
            commands.append(hello)
        case .resp2:
            if let password = configuration.password {
                commands.append(["AUTH"] + (configuration.username.map { [$0] } ?? []) + [password])
            }
        }
        if configuration.database != 0 { commands.append(["SELECT", String(configuration.database)]) }
        return commands
    }

    private func handshake(on connection: RedisConnection) {
        let commands = handshakeCommands
        guard !commands.isEmpty else { return handshaken(connection) }
        var remaining = commands.count
        for command in commands {
            connection.send(command.map { Array($0.utf8) }) { [weak self, weak connection] result in
                guard let self, let connection, self.connection === connection else { return }
                switch result {
                case .success:
                    remaining -= 1
                    if remaining == 0 { self.handshaken(connection) }
                case .failure(.server(let message)) where command[0] != "SELECT":
                    connection.close(.authentication(message))
                case .failure(let error):
                    connection.close(error)
                }
            }
        }
    }

    private func handshaken(_ connection: RedisConnection) {
        connection.handshakeFinished()
        attempt = 0
        connectionsMade += 1
        setStatus(.ready)
        for command in commandsAfterHandshake() {
            connection.send(command, expectsReply: false) { _ in }
        }
        let held = self.held
        self.held = []
        for entry in held { connection.send(entry.arguments, entry.completion) }
    }

    private func connectionEnded(_ error: RedisError) {
        connection = nil
        guard status != .closed else { return }
        moveToNextEndpoint()
        let delay = configuration.backoff.delay(attempt: attempt, unit: randomUnit())
        attempt += 1
        nextAttempt = loop.now().advanced(by: delay)
        setStatus(.waiting(error))
        failHeld(unavailable(after: error))
        reconnectTimer = loop.scheduleTimer(after: delay) { [weak self] in
            guard let self else { return }
            self.reconnectTimer = nil
            self.nextAttempt = nil
            if case .waiting = self.status { self.connect() }
        }
    }

    /// Points ``configuration`` at the endpoint after the current one, when there are others.
    private func moveToNextEndpoint() {
        guard let list = endpoints?(), list.count > 1 else { return }
        let current = RedisClusterNode(configuration)
        let next = list.firstIndex(of: current).map { list[($0 + 1) % list.count] } ?? list[0]
        configuration = next.configuration(from: configuration)
    }

    private func unavailable(after error: RedisError) -> RedisError {
        let left = nextAttempt.map { loop.now() < $0 ? loop.now().duration(to: $0) : .zero } ?? .zero
        let reason: String
        switch error {
        case .unavailable(_, let text): reason = text
        default: reason = error.description
        }
        return .unavailable(retryAfter: max(left, .milliseconds(1)), reason: reason)
    }

    private func failHeld(_ error: RedisError) {
        let held = self.held
        self.held = []
        for entry in held { entry.completion(.failure(error)) }
    }

    private func setStatus(_ new: Status) {
        status = new
        onStatusChange?(new)
    }
}
