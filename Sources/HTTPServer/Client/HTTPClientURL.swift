import Reactor

/// An `http://` URL the admin client may call: a numeric loopback host (or `localhost`), a
/// port, and an optional base path. Anything else is refused — the admin client never leaves
/// the machine, so a token cannot be sent over the network by a mistyped flag.
public struct HTTPClientURL: Sendable, Hashable, CustomStringConvertible {
    /// Where to connect.
    public var address: SocketAddress
    /// The `Host` header value.
    public var host: String
    /// A path prefix (without a trailing `/`), e.g. `""` or `/persona`.
    public var basePath: String

    /// Parses `text` (`http://127.0.0.1:8081`, `http://localhost:8081/base`, `http://[::1]:8081`).
    public init(parsing text: String) throws(HTTPClientError) {
        guard text.hasPrefix("http://") else { throw .invalidURL("\(text): only http:// URLs are supported") }
        let rest = text.dropFirst("http://".count)
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        while path.hasSuffix("/") { path.removeLast() }
        var hostPart: Substring
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw .invalidURL("\(text): unclosed '['")
            }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                portPart = after.dropFirst()
            } else if !after.isEmpty {
                throw .invalidURL(text)
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        } else {
            hostPart = authority
        }
        let port = portPart.map { Int($0) } ?? 80
        guard let port, (1...65535).contains(port) else { throw .invalidURL("\(text): bad port") }
        let numericHost = hostPart == "localhost" ? "127.0.0.1" : String(hostPart)
        let address: SocketAddress
        do {
            address = try SocketAddress(host: numericHost, port: port)
        } catch {
            throw .invalidURL("\(text): the host must be a numeric loopback address or localhost")
        }
        guard Self.isLoopback(address) else { throw .notLoopback(text) }
        self.address = address
        self.host = String(authority)
        self.basePath = path
    }

    /// Whether `address` is in 127.0.0.0/8 or is `::1`.
    public static func isLoopback(_ address: SocketAddress) -> Bool {
        let host = address.host
        return host.hasPrefix("127.") || host == "::1"
    }

    /// The URL as text.
    public var description: String { "http://\(host)\(basePath)" }
}
