import HTTP1
import Testing

@Suite("HTTP/1.1 message semantics (RFC 9112 §6, §7, §9; RFC 9110 §10.1.1)")
struct HTTP1SemanticsTests {
    @Test(
        "decides keep-alive from the version and Connection options",
        arguments: [
            ("HTTP/1.1", "", true),
            ("HTTP/1.1", "Connection: close\r\n", false),
            ("HTTP/1.1", "Connection: keep-alive, CLOSE\r\n", false),
            ("HTTP/1.0", "", false),
            ("HTTP/1.0", "Connection: Keep-Alive\r\n", true),
            ("HTTP/1.0", "Connection: keep-alive\r\nConnection: close\r\n", false),
        ])
    func keepAlive(version: String, connection: String, expected: Bool) {
        let outcome = ParseOutcome("GET / \(version)\r\nHost: h\r\n\(connection)\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.heads.first?.keepAlive == expected)
    }

    @Test("accepts an HTTP/1.0 request without Host")
    func http10WithoutHost() {
        let outcome = ParseOutcome("GET / HTTP/1.0\r\n\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.heads.first?.version == .http1_0)
    }

    @Test("surfaces Expect: 100-continue on HTTP/1.1 before the body arrives")
    func surfacesContinue() throws {
        var parser = HTTP1Parser()
        parser.append(
            Array("POST /u HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n".utf8))
        guard case .head(let head)? = try parser.next() else {
            Issue.record("expected a head")
            return
        }
        #expect(head.expectsContinue)
        #expect(try parser.next() == nil)
        parser.append(Array("ok".utf8))
        #expect(try parser.next() == .body(Array("ok".utf8)))
        #expect(try parser.next() == .end(trailers: [:]))
    }

    @Test("ignores Expect: 100-continue on HTTP/1.0")
    func ignoresContinueOnHTTP10() {
        let outcome = ParseOutcome("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx")
        #expect(outcome.error == nil)
        #expect(outcome.heads.first?.expectsContinue == false)
    }

    @Test("tolerates chunk extensions and parses trailers")
    func chunkExtensionsAndTrailers() {
        let outcome = ParseOutcome(
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n"
                + "4;name=value;flag\r\nWiki\r\n5 ; q=\"x y\"\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n"
                + "0\r\nX-Checksum: abc\r\nX-Other:  2 \r\n\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.heads.first?.bodyFraming == .chunked)
        #expect(outcome.bodies == ["Wikipedia in\r\n\r\nchunks."])
        #expect(outcome.events.last == .end(trailers: ["X-Checksum": "abc", "X-Other": "2"]))
    }

    @Test("treats Content-Length: 0 as no body")
    func zeroContentLength() {
        let outcome = ParseOutcome(
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.heads.map(\.bodyFraming) == [.none, .none])
        #expect(outcome.bodies == ["", ""])
    }

    @Test("pauses after an upgrade request and hands over the following bytes")
    func pausesForUpgrade() throws {
        var parser = HTTP1Parser()
        var events: [HTTP1ParserEvent] = []
        let head =
            "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n\r\n"
        try parser.feed(Array(head.utf8) + [0x81, 0x85, 1, 2], into: &events)
        #expect(events.count == 2)
        if case .head(let parsed)? = events.first { #expect(parsed.isUpgradeRequest) }
        #expect(parser.isUpgradePending)
        #expect(try parser.next() == nil)
        #expect(parser.takeUnconsumedBytes() == [0x81, 0x85, 1, 2])
    }

    @Test("resumes parsing when an upgrade is declined")
    func resumesAfterDecline() throws {
        var parser = HTTP1Parser()
        var events: [HTTP1ParserEvent] = []
        let text =
            "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n"
        try parser.feed(Array(text.utf8), into: &events)
        #expect(events.count == 2)
        parser.declineUpgrade()
        try parser.feed([], into: &events)
        #expect(events.count == 4)
        #expect(parser.isAtMessageBoundary)
    }

    @Test("reports whether it stands between messages")
    func messageBoundary() throws {
        var parser = HTTP1Parser()
        #expect(parser.isAtMessageBoundary)
        var events: [HTTP1ParserEvent] = []
        try parser.feed(Array("GET / HTTP/1.1\r\nHo".utf8), into: &events)
        #expect(!parser.isAtMessageBoundary)
        try parser.feed(Array("st: h\r\n\r\n".utf8), into: &events)
        #expect(parser.isAtMessageBoundary)
    }

    @Test("looks up headers case-insensitively and splits list values")
    func headerLookup() {
        var headers: HTTPHeaders = ["Connection": "keep-alive, Upgrade", "X-Dup": "1"]
        headers.add(name: "x-dup", value: "2")
        #expect(headers["CONNECTION"] == "keep-alive, Upgrade")
        #expect(headers.containsToken("UPGRADE", in: "connection"))
        #expect(!headers.containsToken("up", in: "connection"))
        #expect(headers.values(for: "X-DUP") == ["1", "2"])
        headers.replaceOrAdd(name: "X-Dup", value: "3")
        #expect(headers.values(for: "x-dup") == ["3"])
        #expect(headers.fields.map(\.name) == ["Connection", "X-Dup"])
    }

    @Test(
        "finds a token in a list only as a whole element",
        arguments: [
            ("keep-alive,upgrade", true), (" Upgrade ", true), (",, upgrade ,,", true),
            ("a, b,\tUPGRADE", true),
            ("upgraded", false), ("up grade", false), ("", false), ("keep-alive", false),
            ("upgrade-x, y", false),
        ])
    func tokenInList(value: String, expected: Bool) {
        let headers: HTTPHeaders = ["Connection": value]
        #expect(headers.containsToken("upgrade", in: "connection") == expected)
    }
}
