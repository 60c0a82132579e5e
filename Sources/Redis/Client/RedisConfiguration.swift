import TLS

/// Where a Redis server is and how to talk to it. Made from a URL with ``init(url:)``, then
/// adjusted field by field.
public struct RedisConfiguration: Hashable, Sendable {
    /// Host name or IP literal. Default `127.0.0.1`.
    public var host: String
    /// TCP port. Default 6379.
    public var port: Int
    /// ACL user for `AUTH`/`HELLO`; nil with a password means the `default` user.
    public var username: String?
    /// Password; nil sends no `AUTH`.
    public var password: String?
    /// Database index selected after connecting (`SELECT`). Default 0.
    public var database: Int
    /// Whether to speak TLS (`rediss://`).
    public var usesTLS: Bool
    /// How the server's certificate is verified when ``usesTLS`` is set.
    public var tls: TLSConfiguration
    /// RESP version: `HELLO 3` is sent for RESP3 (the default); RESP2 sends `AUTH`/`SELECT`
    /// only and works with servers older than Redis 6.
    public var protocolVersion: RESPEncoder.Version
    /// Longest wait for TCP connect, TLS handshake and `HELLO`/`AUTH`/`SELECT` together.
    /// Default 2 s.
    public var connectTimeout: Duration
    /// Longest wait for a command's reply. Default 2 s.
    public var commandTimeout: Duration
    /// Reconnect delays.
    public var backoff: RedisBackoff
    /// Most commands waiting for a reply (or for the connection) at once; one more fails with
    /// ``RedisError/tooManyPending(limit:)``. Default 65,536.
    public var maxPendingCommands: Int
    /// Limits on what the server may send.
    public var parser: RESPParser.Configuration
    /// Most `MOVED`/`ASK` redirects one command follows in a Redis Cluster; one more fails with
    /// ``RedisError/tooManyRedirects(limit:last:)``. Default 5 (a healthy cluster needs at most
    /// two: a `MOVED` to the new owner, then an `ASK` while a slot migrates).
    public var maxRedirects: Int

    /// Creates a configuration; every argument has the documented default.
    public init(
        host: String = "127.0.0.1", port: Int = 6379, username: String? = nil, password: String? = nil,
        database: Int = 0, usesTLS: Bool = false, tls: TLSConfiguration = TLSConfiguration(),
        protocolVersion: RESPEncoder.Version = .resp3, connectTimeout: Duration = .seconds(2),
        commandTimeout: Duration = .seconds(2), backoff: RedisBackoff = RedisBackoff(),
        maxPendingCommands: Int = 65_536, parser: RESPParser.Configuration = RESPParser.Configuration(),
        maxRedirects: Int = 5
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.usesTLS = usesTLS
        self.tls = tls
        self.protocolVersion = protocolVersion
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.backoff = backoff
        self.maxPendingCommands = maxPendingCommands
        self.parser = parser
        self.maxRedirects = maxRedirects
    }

    /// Reads `redis://[[user]:password@]host[:port][/db]` or the same with `rediss://` (TLS,
    /// certificate verified against the system store). User and password are percent-decoded;
    /// an IPv6 host is written in brackets. Query parameters are refused rather than ignored.
    public init(url: String) throws(RedisError) {
        self.init()
        var rest = Substring(url)
        if rest.hasPrefix("redis://") {
            rest = rest.dropFirst("redis://".count)
        } else if rest.hasPrefix("rediss://") {
            rest = rest.dropFirst("rediss://".count)
            usesTLS = true
        } else {
            throw .invalidURL("'\(url)' does not start with redis:// or rediss://")
        }
        if rest.contains("?") || rest.contains("#") { throw .invalidURL("'\(url)': query parameters are not supported") }
        var authority = rest
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            let path = rest[rest.index(after: slash)...]
            if !path.isEmpty {
                guard let database = Int(path), database >= 0 else {
                    throw .invalidURL("'\(url)': the path must be a database number")
                }
                self.database = database
            }
        }
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                let user = try Self.percentDecoded(userInfo[..<colon], url)
                username = user.isEmpty ? nil : user
                password = try Self.percentDecoded(userInfo[userInfo.index(after: colon)...], url)
            } else {
                // `redis://secret@host`: a lone user-info part is the password, as redis-cli reads it.
                password = try Self.percentDecoded(userInfo, url)
            }
        }
        var hostPart = authority
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .invalidURL("'\(url)': unclosed '['") }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalidURL("'\(url)': junk after the IPv6 host") }
                portPart = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty else { throw .invalidURL("'\(url)' names no host") }
        host = String(hostPart)
        if let portPart {
            guard let port = Int(portPart), (1...65_535).contains(port) else {
                throw .invalidURL("'\(url)': '\(portPart)' is not a port")
            }
            self.port = port
        }
    }

    private static func percentDecoded(_ text: Substring, _ url: String) throws(RedisError) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            else { throw .invalidURL("'\(url)': bad percent escape") }
            bytes.append(value)
            iterator = iterator.dropFirst(2)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The URL without the password, for logs.
    public var redactedURL: String {
        let scheme = usesTLS ? "rediss" : "redis"
        let user = username.map { "\($0):***@" } ?? (password == nil ? "" : ":***@")
        let hostText = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(user)\(hostText):\(port)/\(database)"
    }
}
