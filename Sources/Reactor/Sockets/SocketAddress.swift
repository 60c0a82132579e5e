#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 or IPv6 address and port.
public enum SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// An IPv4 address; `host` is dotted quad, `port` in host byte order.
    case v4(host: String, port: Int)
    /// An IPv6 address; `host` in RFC 5952 text form.
    case v6(host: String, port: Int)

    /// Errors parsing an address.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The text that did not parse.
        public var text: String
        /// Human-readable explanation.
        public var description: String { "not a numeric IP address: '\(text)'" }
    }

    /// Parses a numeric host (`127.0.0.1`, `::1`; `localhost` is taken as `127.0.0.1`, as the
    /// Reactor does no DNS) and a port.
    public init(host: String, port: Int) throws(ParseError) {
        let host = host == "localhost" ? "127.0.0.1" : host
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            self = .v4(host: host, port: port)
            return
        }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var v6 = in6_addr()
        if inet_pton(AF_INET6, bare, &v6) == 1 {
            self = .v6(host: bare, port: port)
            return
        }
        throw ParseError(text: host)
    }

    /// The port number.
    public var port: Int {
        switch self {
        case .v4(_, let port), .v6(_, let port): port
        }
    }

    /// The host part, as text.
    public var host: String {
        switch self {
        case .v4(let host, _), .v6(let host, _): host
        }
    }

    /// The same host with another port.
    public func withPort(_ port: Int) -> SocketAddress {
        switch self {
        case .v4(let host, _): .v4(host: host, port: port)
        case .v6(let host, _): .v6(host: host, port: port)
        }
    }

    /// `127.0.0.1:8080` or `[::1]:8080`.
    public var description: String {
        switch self {
        case .v4(let host, let port): "\(host):\(port)"
        case .v6(let host, let port): "[\(host)]:\(port)"
        }
    }

    /// The address family (`AF_INET`/`AF_INET6`).
    package var family: Int32 {
        switch self {
        case .v4: AF_INET
        case .v6: AF_INET6
        }
    }

    /// Calls `body` with a `sockaddr` for this address.
    package func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        switch self {
        case .v4(let host, let port):
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
            _ = inet_pton(AF_INET, host, &address.sin_addr)
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .v6(let host, let port):
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
            _ = inet_pton(AF_INET6, host, &address.sin6_addr)
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }

    /// Decodes a `sockaddr_storage` filled by the kernel; `nil` for families we do not speak.
    package init?(storage: sockaddr_storage) {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            let address = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
            }
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            var raw = address.sin_addr
            _ = inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
            self = .v4(
                host: String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
                port: Int(UInt16(bigEndian: address.sin_port)))
        case AF_INET6:
            let address = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
            }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            var raw = address.sin6_addr
            _ = inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
            self = .v6(
                host: String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
                port: Int(UInt16(bigEndian: address.sin6_port)))
        default:
            return nil
        }
    }
}
