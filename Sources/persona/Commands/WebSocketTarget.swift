import Reactor

/// A `ws://host:port/path` URL with a numeric host, resolved to the socket address to connect
/// to, the `Host` header to send and the request path.
struct WebSocketTarget {
    /// Where to connect.
    var address: SocketAddress
    /// The `Host` header (`host:port`).
    var host: String
    /// The request path (`/` when the URL has none).
    var path: String

    /// Parses `url`; `nil` unless it is `ws://<numeric host>:<port>[/path]`.
    init?(_ url: String) {
        guard url.hasPrefix("ws://") else { return nil }
        let rest = url.dropFirst(5)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        guard let colon = authority.lastIndex(of: ":"),
            let port = Int(authority[authority.index(after: colon)...]),
            (1...65535).contains(port),
            let address = try? SocketAddress(host: String(authority[..<colon]), port: port)
        else { return nil }
        self.address = address
        self.host = String(authority)
        self.path = slash == rest.endIndex ? "/" : String(rest[slash...])
    }
}
