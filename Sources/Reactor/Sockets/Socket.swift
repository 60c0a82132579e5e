#if canImport(Glibc)
    import Glibc
#endif

/// Socket system calls, each through ``Syscall`` so the rules (EINTR, EAGAIN, EBADF) hold.
package enum Socket {
    /// `IP_BIND_ADDRESS_NO_PORT` (Linux 4.2): bind a source address without reserving a port
    /// until `connect`, so the port is chosen per destination and many client sockets can share
    /// one source address.
    static let bindAddressNoPort: Int32 = 24

    /// A new non-blocking, close-on-exec TCP socket.
    package static func makeTCP(family: Int32) throws(SystemError) -> Int32 {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        return try Syscall.blocking("socket") { socket(family, type, 0) }
    }

    /// Sets an integer socket option.
    package static func setOption(_ fd: Int32, level: Int32, name: Int32, value: Int32, _ call: StaticString)
        throws(SystemError)
    {
        var value = value
        _ = try Syscall.blocking(call) {
            setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Reads `SO_ERROR` (the outcome of a non-blocking connect, or a pending error).
    package static func pendingError(_ fd: Int32) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        let result = try? Syscall.blocking("getsockopt(SO_ERROR)") {
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length)
        }
        return result == nil ? EIO : value
    }

    /// `bind(2)`.
    package static func bind(_ fd: Int32, to address: SocketAddress) throws(SystemError) {
        do {
            _ = try Syscall.blocking("bind") {
                address.withSockAddr { pointer, length in Glibc.bind(fd, pointer, length) }
            }
        } catch {
            throw SystemError(call: "bind(\(address))", errno: error.errno)
        }
    }

    /// `listen(2)`.
    package static func listen(_ fd: Int32, backlog: Int32) throws(SystemError) {
        _ = try Syscall.blocking("listen") { Glibc.listen(fd, backlog) }
    }

    /// `connect(2)` on a non-blocking socket: `.wouldBlock` means "in progress".
    package static func connect(_ fd: Int32, to address: SocketAddress) throws(SystemError) -> IOResult<Void>
    {
        while true {
            let result = address.withSockAddr { pointer, length in Glibc.connect(fd, pointer, length) }
            if result == 0 { return .processed(()) }
            let code = errno
            switch code {
            case EINTR: continue
            case EINPROGRESS, EAGAIN: return .wouldBlock
            case EBADF, EFAULT: preconditionFailure("connect failed with errno \(code)")
            default: throw SystemError(call: "connect(\(address))", errno: code)
            }
        }
    }

    /// The local address of `fd` (`getsockname`).
    package static func localAddress(_ fd: Int32) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return result == 0 ? SocketAddress(storage: storage) : nil
    }

    /// The peer address of `fd` (`getpeername`).
    package static func remoteAddress(_ fd: Int32) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        return result == 0 ? SocketAddress(storage: storage) : nil
    }

    /// `accept4` with non-blocking and close-on-exec set atomically.
    package static func accept(_ fd: Int32) throws(SystemError) -> IOResult<Int32> {
        try Syscall.call("accept4") {
            LinuxAPI.accept4(fd, nil, nil, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
        }
    }
}
