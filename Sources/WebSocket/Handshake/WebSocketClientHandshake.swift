import HTTP1

/// The client's opening handshake (RFC 6455 §4.1): builds the upgrade request with a fresh
/// random key and checks the server's answer.
public struct WebSocketClientHandshake: Sendable {
    /// Why the server's answer was refused (§4.1, "the client MUST _Fail the WebSocket
    /// Connection_" cases).
    public enum Failure: Error, Sendable, Hashable {
        /// The status was not 101.
        case unexpectedStatus(Int)
        /// `Upgrade: websocket` missing.
        case missingUpgrade
        /// `Connection: upgrade` missing.
        case missingConnectionUpgrade
        /// `Sec-WebSocket-Accept` missing or wrong for our key.
        case invalidAccept
        /// A subprotocol we did not offer.
        case unexpectedSubprotocol(String)
        /// An extension we did not ask for.
        case unexpectedExtension
    }

    /// The base64 `Sec-WebSocket-Key` sent.
    public let key: String
    /// The request head to send.
    public let requestHead: HTTP1RequestHead
    /// The subprotocols offered, in preference order.
    public let subprotocols: [String]

    /// Prepares a handshake for `ws://host/path`. The 16 key bytes come from `generator`
    /// (§4.1 asks for a random nonce; inject `SystemRandomNumberGenerator()` in production).
    public init(
        host: String, path: String = "/", origin: String? = nil, subprotocols: [String] = [],
        extraHeaders: HTTPHeaders = [:], using generator: inout some RandomNumberGenerator
    ) {
        var nonce: [UInt8] = []
        for _ in 0..<16 { nonce.append(UInt8.random(in: 0...255, using: &generator)) }
        self.key = Base64.encode(nonce)
        self.subprotocols = subprotocols
        var headers: HTTPHeaders = [
            "Host": host,
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": key,
            "Sec-WebSocket-Version": "13",
        ]
        if let origin { headers.add(name: "Origin", value: origin) }
        if !subprotocols.isEmpty {
            headers.add(name: "Sec-WebSocket-Protocol", value: subprotocols.joined(separator: ", "))
        }
        for field in extraHeaders { headers.add(name: field.name, value: field.value) }
        self.requestHead = HTTP1RequestHead(method: .get, target: path, headers: headers)
    }

    /// The request bytes to write.
    public func encodedRequest() -> [UInt8] {
        var buffer: [UInt8] = []
        HTTP1RequestEncoder.encodeHead(requestHead, into: &buffer)
        return buffer
    }

    /// Checks the response head (parse it with `HTTP1ResponseHeadParser`); returns the
    /// subprotocol the server selected, if any.
    public func validate(_ response: HTTP1ResponseHead) throws(Failure) -> String? {
        let headers = response.headers
        guard response.status.code == 101 else { throw .unexpectedStatus(response.status.code) }
        guard headers.containsToken("websocket", in: "Upgrade") else { throw .missingUpgrade }
        guard headers.containsToken("upgrade", in: "Connection") else { throw .missingConnectionUpgrade }
        guard headers.values(for: "Sec-WebSocket-Accept") == [WebSocketAccept.value(forKey: key)] else {
            throw .invalidAccept
        }
        if !headers.listElements(for: "Sec-WebSocket-Extensions").isEmpty { throw .unexpectedExtension }
        let selected = headers.listElements(for: "Sec-WebSocket-Protocol")
        guard let protocolName = selected.first else { return nil }
        guard selected.count == 1, subprotocols.contains(protocolName) else {
            throw .unexpectedSubprotocol(selected.joined(separator: ","))
        }
        return protocolName
    }
}
