#if canImport(Glibc)
    import Glibc
#endif

/// A listening socket registered with one loop; accepted connections stay on that loop.
public final class TCPListener: Selectable, DeferredClose {
    /// The loop accepting on this socket.
    public let loop: EventLoop
    /// The bound address (with the real port when 0 was asked for).
    public let localAddress: SocketAddress
    private let fd: Int32
    private var registration = RegistrationID(rawValue: 0)
    private var onAccept: ((TCPConnection) -> Void)?
    private var closed = false
    private var pausedUntilRetry = false

    /// Connections accepted per readiness event before yielding to other descriptors.
    static let acceptBatch = 64
    /// After `EMFILE`/`ENFILE` (out of descriptors), accepting pauses this long instead of
    /// spinning on a level-triggered listener that cannot be drained.
    public static let descriptorExhaustionBackoff: Duration = .milliseconds(100)

    /// Creates a listening socket bound to `address` (any thread); register it with
    /// ``start(on:_:)``.
    ///
    /// `SO_REUSEADDR` lets a restarted server bind while old connections sit in TIME_WAIT;
    /// `SO_REUSEPORT` (when `reusePort`) lets each loop own a listener on the same port and the
    /// kernel spread incoming connections between them.
    package static func bindSocket(address: SocketAddress, reusePort: Bool, backlog: Int32)
        throws(SystemError)
        -> (fd: Int32, address: SocketAddress)
    {
        let fd = try Socket.makeTCP(family: address.family)
        do {
            try Socket.setOption(
                fd, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1, "setsockopt(SO_REUSEADDR)")
            if reusePort {
                try Socket.setOption(
                    fd, level: SOL_SOCKET, name: SO_REUSEPORT, value: 1, "setsockopt(SO_REUSEPORT)")
            }
            try Socket.bind(fd, to: address)
            try Socket.listen(fd, backlog: backlog)
        } catch {
            Syscall.close(fd)
            throw error
        }
        return (fd, Socket.localAddress(fd) ?? address)
    }

    /// Binds (without listening, without `SO_REUSEPORT`) to prove `address` is free, and
    /// returns it with the real port; the socket is closed again. `EADDRINUSE` if another
    /// socket — any process's, reuse-port or not — holds the port.
    package static func probe(_ address: SocketAddress) throws(SystemError) -> SocketAddress {
        let fd = try Socket.makeTCP(family: address.family)
        defer { Syscall.close(fd) }
        try Socket.setOption(fd, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1, "setsockopt(SO_REUSEADDR)")
        try Socket.bind(fd, to: address)
        return Socket.localAddress(fd) ?? address
    }

    init(fd: Int32, address: SocketAddress, loop: EventLoop) {
        self.fd = fd
        self.localAddress = address
        self.loop = loop
    }

    /// Registers with the loop and starts accepting; `onAccept` runs on the loop for each new
    /// connection, which must get its handler set before returning.
    func start(_ onAccept: @escaping (TCPConnection) -> Void) throws(SystemError) {
        loop.adopt(fd, "tcp listener")
        self.onAccept = onAccept
        registration = try loop.register(fd: fd, interest: .read, self)
    }

    /// Stops accepting and closes the socket (after the current batch).
    public func close() {
        guard !closed else { return }
        closed = true
        loop.deferClose(self)
    }

    package func ready(readable: Bool, writable: Bool, failed: Bool) {
        guard !closed, !pausedUntilRetry else { return }
        for _ in 0..<Self.acceptBatch {
            let result: IOResult<Int32>
            do {
                result = try Socket.accept(fd)
            } catch {
                switch error.errno {
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    pauseAccepting()
                    return
                default:
                    // ECONNABORTED, EPROTO, EPERM (firewall): that one connection is lost, the
                    // listener is fine.
                    continue
                }
            }
            guard case .processed(let client) = result else { return }
            let connection = TCPConnection(fd: client, loop: loop, connecting: false)
            try? Socket.setOption(
                client, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1, "setsockopt(TCP_NODELAY)")
            do {
                try connection.register(interest: .read)
            } catch {
                connection.requestClose(error: error)
                continue
            }
            onAccept?(connection)
            if connection.handler == nil { connection.close() }
        }
    }

    private func pauseAccepting() {
        pausedUntilRetry = true
        try? loop.reregister(fd: fd, id: registration, interest: [])
        loop.scheduleTimer(after: Self.descriptorExhaustionBackoff) { [self] in
            pausedUntilRetry = false
            guard !closed else { return }
            try? loop.reregister(fd: fd, id: registration, interest: .read)
        }
    }

    package func closeForShutdown() { close() }

    package func finishClose() {
        loop.deregister(fd: fd, id: registration)
        Syscall.close(fd)
        loop.release(fd)
        onAccept = nil
    }
}
