#if canImport(Glibc)
    import Glibc
#endif

/// A plain blocking TCP client for driving loop code from a test thread, deliberately not
/// built on the Reactor so it can play a misbehaving peer (one that stops reading).
public final class BlockingClient {
    /// The socket.
    public let fd: Int32

    public init(port: Int, receiveBuffer: Int32? = nil) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0)
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        precondition(result == 0, "connect failed: \(errno)")
    }

    deinit { Glibc.close(fd) }

    public func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { return }
            offset += n
        }
    }

    public func send(_ text: String) { send(Array(text.utf8)) }

    /// Reads exactly `count` bytes (fewer if the peer closes or 10 s pass).
    public func receive(exactly count: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while result.count < count {
            let n = chunk.withUnsafeMutableBytes {
                recv(fd, $0.baseAddress, min($0.count, count - result.count), 0)
            }
            if n <= 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    /// Reads whatever arrives next (empty at EOF or after 10 s).
    public func receiveSome() -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return n > 0 ? Array(chunk[0..<n]) : []
    }

    /// Half-closes our sending side.
    public func shutdownWrite() { _ = Glibc.shutdown(fd, Int32(SHUT_WR)) }

    /// Reads until the peer closes (or 10 s pass).
    public func receiveUntilClose() -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }
}
