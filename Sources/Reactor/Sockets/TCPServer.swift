import Synchronization

/// A TCP listening port served by every loop of a group.
///
/// Each loop gets its own listener bound with `SO_REUSEPORT` to the same address, so the kernel
/// spreads new connections over the loops and no accepted descriptor ever crosses threads. The
/// alternative — one acceptor handing descriptors to the other loops — costs a cross-thread
/// wake-up per connection and makes one thread the accept bottleneck; its advantage (even
/// distribution when one loop is busy) matters little for long-lived WebSocket connections.
public final class TCPServer: Sendable {
    /// The address actually bound (the real port when 0 was asked for).
    public let localAddress: SocketAddress
    private let listeners: Mutex<[LoopBound<TCPListener>]>

    /// Default `listen(2)` backlog: generous, so a burst of thousands of connects (a load test,
    /// a reconnect storm) queues in the kernel instead of being refused.
    public static let defaultBacklog: Int32 = 4096

    /// Binds `address` on every loop of `group` and starts accepting.
    ///
    /// `onAccept` runs on the accepting loop for each connection and must set its handler.
    public init(
        address: SocketAddress, group: EventLoopGroup, backlog: Int32 = TCPServer.defaultBacklog,
        onAccept: @escaping @Sendable (TCPConnection) -> Void
    ) throws(SystemError) {
        var sockets: [(fd: Int32, address: SocketAddress)] = []
        do {
            if group.loops.count == 1 {
                sockets.append(
                    try TCPListener.bindSocket(address: address, reusePort: false, backlog: backlog))
            } else {
                // SO_REUSEPORT lets *any* process of the same user join the port, so a second
                // server started on a busy port would silently take half its connections. A plain
                // bind first proves the port free (and picks it, for port 0); the group then binds
                // to it. The window between the probe and the group's bind is a few syscalls.
                let free = try TCPListener.probe(address)
                for _ in group.loops {
                    sockets.append(
                        try TCPListener.bindSocket(address: free, reusePort: true, backlog: backlog))
                }
            }
        } catch {
            for socket in sockets { Syscall.close(socket.fd) }
            throw error
        }
        localAddress = sockets[0].address
        var bound: [LoopBound<TCPListener>] = []
        for (loop, socket) in zip(group.loops, sockets) {
            let listener = TCPListener(fd: socket.fd, address: socket.address, loop: loop)
            bound.append(LoopBound(listener, loop: loop))
            let handle = LoopBound(listener, loop: loop)
            loop.execute {
                do {
                    try handle.value.start(onAccept)
                } catch {
                    handle.value.close()
                }
            }
        }
        listeners = Mutex(bound)
    }

    /// Stops accepting on every loop; established connections are untouched. Any thread.
    public func stopAccepting() {
        let bound = listeners.withLock { listeners -> [LoopBound<TCPListener>] in
            let taken = listeners
            listeners.removeAll()
            return taken
        }
        for listener in bound {
            listener.loop.execute { listener.value.close() }
        }
    }
}
