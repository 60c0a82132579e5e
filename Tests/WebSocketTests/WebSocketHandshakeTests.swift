import HTTP1
import PersonaTestSupport
import Testing
import WebSocket

@Suite("WebSocket opening handshake (RFC 6455 §4)")
struct WebSocketHandshakeTests {
    static func head(
        method: HTTPMethod = .get, version: HTTPVersion = .http1_1, _ fields: [(String, String)]? = nil
    ) -> HTTP1RequestHead {
        let defaults = [
            ("Host", "server.example.com"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13"),
        ]
        return HTTP1RequestHead(
            method: method, target: "/chat", version: version,
            headers: HTTPHeaders((fields ?? defaults).map { HTTPField(name: $0.0, value: $0.1) }))
    }

    static func replacing(_ name: String, with value: String?) -> HTTP1RequestHead {
        var headers = head().headers
        headers.remove(name: name)
        if let value { headers.add(name: name, value: value) }
        return HTTP1RequestHead(method: .get, target: "/chat", headers: headers)
    }

    @Test("computes the §1.3 example Sec-WebSocket-Accept")
    func acceptExample() {
        #expect(WebSocketAccept.value(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test("answers a valid upgrade with 101 and the accept value")
    func accepts() throws {
        let acceptance = try WebSocketServerHandshake().accept(Self.head())
        #expect(acceptance.subprotocol == nil)
        #expect(
            String(decoding: acceptance.encoded(), as: UTF8.self)
                == "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")
    }

    @Test(
        "finds the Upgrade and Connection tokens in any case and list position",
        arguments: [
            [("Upgrade", "WebSocket"), ("Connection", "keep-alive, Upgrade")],
            [("upgrade", "websocket"), ("connection", "UPGRADE,keep-alive")],
            [("Upgrade", "websocket"), ("Connection", "keep-alive"), ("Connection", "upgrade")],
        ])
    func tokens(fields: [(String, String)]) throws {
        let base = [
            ("Host", "h"), ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13"),
        ]
        #expect(throws: Never.self) { try WebSocketServerHandshake().accept(Self.head(base + fields)) }
    }

    @Test(
        "refuses an invalid upgrade request",
        arguments: [
            (head(method: .post), WebSocketHandshakeError.methodNotGet, 405),
            (head(version: .http1_0), .versionTooOld, 400),
            (replacing("Host", with: nil), .missingHost, 400),
            (replacing("Upgrade", with: nil), .missingUpgrade, 400),
            (replacing("Upgrade", with: "h2c"), .missingUpgrade, 400),
            (replacing("Connection", with: "keep-alive"), .missingConnectionUpgrade, 400),
            (replacing("Sec-WebSocket-Version", with: "8"), .unsupportedVersion, 426),
            (replacing("Sec-WebSocket-Version", with: nil), .unsupportedVersion, 426),
            (replacing("Sec-WebSocket-Version", with: "13, 8"), .unsupportedVersion, 426),
            (replacing("Sec-WebSocket-Key", with: nil), .invalidKey, 400),
            (replacing("Sec-WebSocket-Key", with: "AAECAwQFBgcICQoLDA0O"), .invalidKey, 400),  // 15 bytes
            (replacing("Sec-WebSocket-Key", with: "not base64!"), .invalidKey, 400),
        ] as [(HTTP1RequestHead, WebSocketHandshakeError, Int)])
    func refuses(head: HTTP1RequestHead, error: WebSocketHandshakeError, status: Int) {
        #expect(throws: error) { try WebSocketServerHandshake().accept(head) }
        #expect(error.status.code == status)
    }

    @Test("refuses two Sec-WebSocket-Key fields")
    func twoKeys() {
        var head = Self.head()
        head.headers.add(name: "Sec-WebSocket-Key", value: "dGhlIHNhbXBsZSBub25jZQ==")
        #expect(throws: WebSocketHandshakeError.invalidKey) { try WebSocketServerHandshake().accept(head) }
    }

    @Test("answers a wrong version with 426 and Sec-WebSocket-Version: 13")
    func versionResponse() {
        var out: [UInt8] = []
        WebSocketHandshakeError.unsupportedVersion.encodeResponse(into: &out)
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 426 Upgrade Required\r\n"))
        #expect(text.contains("\r\nSec-WebSocket-Version: 13\r\n"))
        #expect(text.contains(#""code":"unsupported_websocket_version""#))
    }

    @Test("applies the origin allow-list, allowing a missing Origin only when configured")
    func originPolicy() {
        let policy = WebSocketOriginPolicy.allowList(["https://chat.example"])
        #expect(policy.allows("https://CHAT.example"))
        #expect(!policy.allows("https://evil.example"))
        #expect(policy.allows(nil))
        #expect(
            !WebSocketOriginPolicy.allowList(["https://chat.example"], allowsMissingOrigin: false).allows(nil)
        )
        let custom = WebSocketOriginPolicy.custom({ origin in origin?.hasSuffix(".example") == true })
        #expect(custom.allows("https://a.example"))
        #expect(!custom.allows(nil))
        var head = Self.head()
        head.headers.add(name: "Origin", value: "https://evil.example")
        let handshake = WebSocketServerHandshake(configuration: .init(originPolicy: policy))
        #expect(throws: WebSocketHandshakeError.originNotAllowed) { try handshake.accept(head) }
        #expect(WebSocketHandshakeError.originNotAllowed.status.code == 403)
    }

    @Test("selects the client's most preferred subprotocol that the server supports")
    func subprotocols() throws {
        var head = Self.head()
        head.headers.add(name: "Sec-WebSocket-Protocol", value: "chat.v2, persona.v1")
        head.headers.add(name: "Sec-WebSocket-Protocol", value: "chat.v1")
        let handshake = WebSocketServerHandshake(
            configuration: .init(supportedSubprotocols: ["chat.v1", "persona.v1"]))
        let acceptance = try handshake.accept(head)
        #expect(acceptance.subprotocol == "persona.v1")
        #expect(acceptance.responseHead.headers["Sec-WebSocket-Protocol"] == "persona.v1")
        let none = try WebSocketServerHandshake(configuration: .init(supportedSubprotocols: ["x"])).accept(
            head)
        #expect(none.subprotocol == nil)
        #expect(!none.responseHead.headers.contains("Sec-WebSocket-Protocol"))
    }

    @Test("completes a client handshake against the server handshake through both HTTP parsers")
    func clientAgainstServer() throws {
        var generator = SeededGenerator(seed: 4)
        let client = WebSocketClientHandshake(
            host: "127.0.0.1:8080", path: "/v1/ws", origin: "http://127.0.0.1", subprotocols: ["persona.v1"],
            using: &generator)
        #expect(Base64.decode(client.key)?.count == 16)
        var parser = HTTP1Parser()
        var events: [HTTP1ParserEvent] = []
        try parser.feed(client.encodedRequest(), into: &events)
        guard case .head(let head)? = events.first else {
            Issue.record("no head parsed")
            return
        }
        #expect(parser.isUpgradePending)
        let server = WebSocketServerHandshake(configuration: .init(supportedSubprotocols: ["persona.v1"]))
        let acceptance = try server.accept(head)
        var responseParser = HTTP1ResponseHeadParser()
        let response = try #require(try responseParser.feed(acceptance.encoded() + [0x81, 0x00]))
        #expect(response.remainder == [0x81, 0x00])
        #expect(try client.validate(response.head) == "persona.v1")
    }

    @Test("refuses a server answer with the wrong accept, status or subprotocol")
    func clientRefuses() {
        var generator = SeededGenerator(seed: 5)
        let client = WebSocketClientHandshake(host: "h", subprotocols: ["a"], using: &generator)
        let good: HTTPHeaders = [
            "Upgrade": "websocket", "Connection": "Upgrade",
            "Sec-WebSocket-Accept": WebSocketAccept.value(forKey: client.key),
        ]
        #expect(throws: Never.self) {
            try client.validate(HTTP1ResponseHead(status: .switchingProtocols, headers: good))
        }
        var wrongAccept = good
        wrongAccept.replaceOrAdd(name: "Sec-WebSocket-Accept", value: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(throws: WebSocketClientHandshake.Failure.invalidAccept) {
            try client.validate(HTTP1ResponseHead(status: .switchingProtocols, headers: wrongAccept))
        }
        #expect(throws: WebSocketClientHandshake.Failure.unexpectedStatus(400)) {
            try client.validate(HTTP1ResponseHead(status: .badRequest, headers: good))
        }
        var otherProtocol = good
        otherProtocol.add(name: "Sec-WebSocket-Protocol", value: "b")
        #expect(throws: WebSocketClientHandshake.Failure.unexpectedSubprotocol("b")) {
            try client.validate(HTTP1ResponseHead(status: .switchingProtocols, headers: otherProtocol))
        }
        var withExtension = good
        withExtension.add(name: "Sec-WebSocket-Extensions", value: "permessage-deflate")
        #expect(throws: WebSocketClientHandshake.Failure.unexpectedExtension) {
            try client.validate(HTTP1ResponseHead(status: .switchingProtocols, headers: withExtension))
        }
    }

    @Test("every handshake error has a distinct code and a 4xx status")
    func errorCodes() {
        let codes = WebSocketHandshakeError.allCases.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(WebSocketHandshakeError.allCases.allSatisfy { (400..<500).contains($0.status.code) })
    }
}
