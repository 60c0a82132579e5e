#if canImport(Glibc)
    import Glibc
#endif

extension TCPConnection {
    /// Opens an outbound connection from `loop` (loop thread only).
    ///
    /// - Parameters:
    ///   - address: where to connect.
    ///   - source: a local address to connect from, e.g. `127.0.0.7:0` to spread many client
    ///     connections over loopback source addresses (each gets its own ephemeral port
    ///     range; `IP_BIND_ADDRESS_NO_PORT` defers port choice to `connect`).
    ///   - timeout: fail with `ETIMEDOUT` if not connected by then.
    ///   - completion: called once on the loop, never synchronously from this call.
    public static func connect(
        to address: SocketAddress, from source: SocketAddress? = nil, on loop: EventLoop,
        timeout: Duration = .seconds(10),
        _ completion: @escaping (Result<TCPConnection, SystemError>) -> Void
    ) {
        loop.assertInLoop()
        let fd: Int32
        do {
            fd = try Socket.makeTCP(family: address.family)
        } catch {
            loop.executeOnLoop { completion(.failure(error)) }
            return
        }
        let connection = TCPConnection(fd: fd, loop: loop, connecting: true)
        do {
            try Socket.setOption(
                fd, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1, "setsockopt(TCP_NODELAY)")
            if let source {
                if case .v4 = source {
                    try? Socket.setOption(
                        fd, level: Int32(IPPROTO_IP), name: Socket.bindAddressNoPort, value: 1,
                        "setsockopt(IP_BIND_ADDRESS_NO_PORT)")
                }
                try Socket.bind(fd, to: source)
            }
            try connection.register(interest: .write)
            connection.connectCompletion = completion
            switch try Socket.connect(fd, to: address) {
            case .processed:
                // Loopback may connect at once; still report from the loop, not from here.
                loop.executeOnLoop { connection.finishConnect() }
            case .wouldBlock:
                connection.connectTimer = loop.scheduleTimer(after: timeout) {
                    connection.connectTimer = nil
                    connection.requestClose(error: SystemError(call: "connect(\(address))", errno: ETIMEDOUT))
                }
            }
        } catch {
            connection.connectCompletion = nil
            connection.requestClose(error: error)
            loop.executeOnLoop { completion(.failure(error)) }
        }
    }

    /// Completes a non-blocking connect once the socket is writable (or failed).
    func finishConnect() {
        guard phase == .connecting, let completion = connectCompletion else { return }
        let code = Socket.pendingError(fd)
        if code != 0 {
            requestClose(error: SystemError(call: "connect", errno: code))
            return
        }
        connectCompletion = nil
        if let timer = connectTimer {
            loop.cancelTimer(timer)
            connectTimer = nil
        }
        markOpen()
        completion(.success(self))
    }
}
