import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Loopback ports for servers a test starts, stops and starts again on the same port.
///
/// A port taken by binding to 0 comes from the kernel's ephemeral range, so once its server is
/// stopped any outgoing connection of the suite may take it as a source port, and the next
/// `bind(0)` may hand it to another test's server: the restart then fails, or a client
/// reconnects to somebody else's server. These ports come from below the ephemeral range
/// (`/proc/sys/net/ipv4/ip_local_port_range`), each handed out once per test process.
public enum LoopbackPort {
    /// The pool: below Linux's default ephemeral range (32768–60999).
    static let pool = 20_000..<32_768
    private static let next = Mutex<Int>(pool.lowerBound + Int(getpid()) % 4_096)

    /// A port nothing listens on now and that this process has not handed out before.
    public static func reserve() throws -> Int {
        for _ in 0..<pool.count {
            let port = next.withLock { value -> Int in
                let port = value
                value = value + 1 < pool.upperBound ? value + 1 : pool.lowerBound
                return port
            }
            if canBind(port) { return port }
        }
        throw RedisServerProcess.RedisServerError(message: "no free loopback port in \(pool)")
    }

    /// Whether a listening socket could take `port` on 127.0.0.1 right now.
    static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        return withAddress(port) { bind(fd, $0, $1) == 0 }
    }

    /// A blocking TCP socket connected to 127.0.0.1:`port`, or nil if nothing accepts there;
    /// the caller closes it.
    public static func connect(_ port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        guard withAddress(port, { Glibc.connect(fd, $0, $1) == 0 }) else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Calls `body` with 127.0.0.1:`port` as a socket address and its length.
    static func withAddress<R>(_ port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}
