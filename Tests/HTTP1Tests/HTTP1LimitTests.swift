import HTTP1
import Testing

/// Every limit: accepted at the limit, refused one past it.
@Suite("HTTP/1.1 parser limits")
struct HTTP1LimitTests {
    static func requestLine(targetLength: Int) -> String {
        "GET /" + String(repeating: "a", count: targetLength - 1) + " HTTP/1.1\r\nHost: h\r\n\r\n"
    }

    @Test("accepts a request line of exactly maxRequestLineLength and refuses one byte more with 414")
    func requestLineLimit() {
        let configuration = HTTP1Parser.Configuration(maxRequestLineLength: 64)
        // "GET " + target + " HTTP/1.1" = 13 + target length.
        let atLimit = ParseOutcome(Self.requestLine(targetLength: 51), configuration: configuration)
        #expect(atLimit.error == nil)
        let over = ParseOutcome(Self.requestLine(targetLength: 52), configuration: configuration)
        #expect(over.error == .requestLineTooLong)
        #expect(over.error?.statusCode == 414)
    }

    @Test("refuses an endless request line without buffering past the limit")
    func endlessRequestLine() throws {
        var parser = HTTP1Parser(configuration: .init(maxRequestLineLength: 100))
        var events: [HTTP1ParserEvent] = []
        try parser.feed(Array(repeating: UInt8(ascii: "A"), count: 101), into: &events)
        #expect(throws: HTTP1ParseError.requestLineTooLong) {
            try parser.feed([UInt8(ascii: "A")], into: &events)
        }
    }

    @Test("accepts a header section of exactly maxHeaderBytes and refuses one byte more with 431")
    func headerBytesLimit() {
        let configuration = HTTP1Parser.Configuration(maxHeaderBytes: 40)
        // "Host: h\r\n" = 9 bytes; "X: " + value + "\r\n" = 5 + value.
        let atLimit = ParseOutcome(
            "GET / HTTP/1.1\r\nHost: h\r\nX: \(String(repeating: "v", count: 26))\r\n\r\n",
            configuration: configuration)
        #expect(atLimit.error == nil)
        let over = ParseOutcome(
            "GET / HTTP/1.1\r\nHost: h\r\nX: \(String(repeating: "v", count: 27))\r\n\r\n",
            configuration: configuration)
        #expect(over.error == .headerTooLarge)
        #expect(over.error?.statusCode == 431)
        #expect(over.error?.code == "header_too_large")
    }

    @Test("accepts maxHeaderCount fields and refuses one more with 431")
    func headerCountLimit() {
        let configuration = HTTP1Parser.Configuration(maxHeaderCount: 5)
        let four = (0..<4).map { "X-\($0): v\r\n" }.joined()
        let atLimit = ParseOutcome("GET / HTTP/1.1\r\nHost: h\r\n\(four)\r\n", configuration: configuration)
        #expect(atLimit.error == nil)
        let five = (0..<5).map { "X-\($0): v\r\n" }.joined()
        let over = ParseOutcome("GET / HTTP/1.1\r\nHost: h\r\n\(five)\r\n", configuration: configuration)
        #expect(over.error == .tooManyHeaders)
        #expect(over.error?.statusCode == 431)
    }

    @Test("uses the documented defaults")
    func defaults() {
        let configuration = HTTP1Parser.Configuration()
        #expect(configuration.maxRequestLineLength == 8192)
        #expect(configuration.maxHeaderBytes == 16384)
        #expect(configuration.maxHeaderCount == 100)
        #expect(configuration.maxBodySize == 1_048_576)
        #expect(configuration.maxChunkSizeLineLength == 1024)
        #expect(configuration.allowsBareLF == false)
    }

    @Test("refuses the 101st header field under the defaults")
    func defaultHeaderCount() {
        let hundred = (0..<99).map { "X-\($0): v\r\n" }.joined()
        #expect(ParseOutcome("GET / HTTP/1.1\r\nHost: h\r\n\(hundred)\r\n").error == nil)
        let hundredAndOne = (0..<100).map { "X-\($0): v\r\n" }.joined()
        #expect(ParseOutcome("GET / HTTP/1.1\r\nHost: h\r\n\(hundredAndOne)\r\n").error == .tooManyHeaders)
    }

    @Test("accepts a Content-Length of exactly maxBodySize and refuses one more with 413 at the head")
    func contentLengthLimit() throws {
        let configuration = HTTP1Parser.Configuration(maxBodySize: 10)
        let atLimit = ParseOutcome(
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789", configuration: configuration
        )
        #expect(atLimit.error == nil)
        #expect(atLimit.bodies == ["0123456789"])
        // Refused before any body byte arrives.
        let over = ParseOutcome(
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", configuration: configuration)
        #expect(over.error == .bodyTooLarge)
        #expect(over.error?.statusCode == 413)
    }

    @Test("accepts chunks summing to maxBodySize and refuses one byte more with 413")
    func chunkedBodyLimit() {
        let configuration = HTTP1Parser.Configuration(maxBodySize: 10)
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        let atLimit = ParseOutcome(
            head + "5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n", configuration: configuration)
        #expect(atLimit.error == nil)
        let over = ParseOutcome(head + "5\r\n01234\r\n6\r\n", configuration: configuration)
        #expect(over.error == .bodyTooLarge)
    }

    @Test("accepts a chunk-size line of exactly maxChunkSizeLineLength and refuses one byte more")
    func chunkSizeLineLimit() {
        let configuration = HTTP1Parser.Configuration(maxChunkSizeLineLength: 16)
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        // "1;" + extension: 16 bytes in all.
        let atLimit = ParseOutcome(
            head + "1;" + String(repeating: "e", count: 14) + "\r\nx\r\n0\r\n\r\n",
            configuration: configuration)
        #expect(atLimit.error == nil)
        let over = ParseOutcome(
            head + "1;" + String(repeating: "e", count: 15) + "\r\nx\r\n0\r\n\r\n",
            configuration: configuration)
        #expect(over.error == .chunkSizeLineTooLong)
    }

    @Test("bounds the trailer section by maxHeaderBytes")
    func trailerLimit() {
        // The head's fields take 37 bytes; the trailers get their own 40-byte budget.
        let configuration = HTTP1Parser.Configuration(maxHeaderBytes: 40)
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
        // "T: " + value + "\r\n" = 5 + value.
        #expect(
            ParseOutcome(
                head + "T: \(String(repeating: "v", count: 35))\r\n\r\n", configuration: configuration
            ).error == nil)
        #expect(
            ParseOutcome(
                head + "T: \(String(repeating: "v", count: 36))\r\n\r\n", configuration: configuration
            ).error
                == .headerTooLarge)
    }

    @Test("bounds the trailer count by maxHeaderCount")
    func trailerCountLimit() {
        let configuration = HTTP1Parser.Configuration(maxHeaderCount: 2)
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
        #expect(ParseOutcome(head + "A: 1\r\nB: 2\r\n\r\n", configuration: configuration).error == nil)
        #expect(
            ParseOutcome(head + "A: 1\r\nB: 2\r\nC: 3\r\n\r\n", configuration: configuration).error
                == .tooManyHeaders)
    }
}
