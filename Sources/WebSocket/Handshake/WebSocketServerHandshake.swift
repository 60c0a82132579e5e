import HTTP1

/// The server's opening handshake (RFC 6455 §4.2): validates an upgrade request head and
/// builds the 101 response.
///
/// It uses the HTTP1 module's types directly (`HTTP1RequestHead`, `HTTP1ResponseHead`): the
/// server already has them in hand, and a parallel header abstraction would only need
/// converting. The cost is one module dependency (WebSocket → HTTP1), in the layer's direction.
public struct WebSocketServerHandshake: Sendable {
    /// What the server accepts.
    public struct Configuration: Sendable {
        /// Subprotocols the server speaks (e.g. `["persona.v1"]`). The first of the client's
        /// offers (in its order of preference, §4.1) that appears here is selected; with no
        /// match the handshake proceeds without a subprotocol, and the client decides.
        public var supportedSubprotocols: [String]
        /// Who may connect. Default: any origin.
        public var originPolicy: WebSocketOriginPolicy

        /// Creates a configuration.
        public init(supportedSubprotocols: [String] = [], originPolicy: WebSocketOriginPolicy = .anyOrigin) {
            self.supportedSubprotocols = supportedSubprotocols
            self.originPolicy = originPolicy
        }
    }

    /// An accepted handshake.
    public struct Acceptance: Sendable, Hashable {
        /// The selected subprotocol, if any.
        public var subprotocol: String?
        /// The `101 Switching Protocols` head to write.
        public var responseHead: HTTP1ResponseHead

        /// The response bytes. After writing them the connection speaks WebSocket; the bytes
        /// the HTTP parser already buffered (`takeUnconsumedBytes()`) are its first input.
        public func encoded() -> [UInt8] {
            var buffer: [UInt8] = []
            HTTP1ResponseEncoder.encodeHead(responseHead, into: &buffer)
            return buffer
        }
    }

    /// The configuration in force.
    public var configuration: Configuration

    /// Creates a handshake validator.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Validates `head` against §4.2.1 in order: method, version, Host, Upgrade, Connection,
    /// Sec-WebSocket-Version, Sec-WebSocket-Key, Origin; then selects a subprotocol.
    public func accept(_ head: HTTP1RequestHead) throws(WebSocketHandshakeError) -> Acceptance {
        let headers = head.headers
        guard head.method == .get else { throw .methodNotGet }
        guard head.version.major > 1 || (head.version.major == 1 && head.version.minor >= 1) else {
            throw .versionTooOld
        }
        guard headers.contains("Host") else { throw .missingHost }
        guard headers.containsToken("websocket", in: "Upgrade") else { throw .missingUpgrade }
        guard headers.containsToken("upgrade", in: "Connection") else { throw .missingConnectionUpgrade }
        guard headers.listElements(for: "Sec-WebSocket-Version") == ["13"] else { throw .unsupportedVersion }
        let keys = headers.values(for: "Sec-WebSocket-Key")
        guard keys.count == 1, let key = keys.first, Base64.decode(key)?.count == 16 else {
            throw .invalidKey
        }
        guard configuration.originPolicy.allows(headers["Origin"], host: headers["Host"]) else { throw .originNotAllowed }

        let offered = headers.listElements(for: "Sec-WebSocket-Protocol")
        let subprotocol = offered.first { configuration.supportedSubprotocols.contains($0) }

        var response: HTTPHeaders = [
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Accept": WebSocketAccept.value(forKey: key),
        ]
        if let subprotocol { response.add(name: "Sec-WebSocket-Protocol", value: subprotocol) }
        // No Sec-WebSocket-Extensions: we negotiate none, so RSV bits stay refused.
        return Acceptance(
            subprotocol: subprotocol,
            responseHead: HTTP1ResponseHead(status: .switchingProtocols, headers: response))
    }
}
