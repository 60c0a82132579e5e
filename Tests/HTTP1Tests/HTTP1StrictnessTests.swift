import HTTP1
import Testing

/// One request that must be refused, and why.
struct RefusalCase: CustomTestStringConvertible, Sendable {
    var rule: String
    var request: String
    var error: HTTP1ParseError
    var testDescription: String { rule }
}

@Suite("HTTP/1.1 request parser strictness (RFC 9112 §2, §3, §5, §6, §11.2)")
struct HTTP1StrictnessTests {
    static let cases: [RefusalCase] = [
        // §6.3 / §11.2: request smuggling vectors.
        RefusalCase(
            rule: "refuses both Content-Length and Transfer-Encoding",
            request: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
            error: .contentLengthWithTransferEncoding),
        RefusalCase(
            rule: "refuses a Content-Length list '1,2'",
            request: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1,2\r\n\r\n", error: .invalidContentLength
        ),
        RefusalCase(
            rule: "refuses an equal Content-Length list '5,5'",
            request: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5,5\r\n\r\n", error: .invalidContentLength
        ),
        RefusalCase(
            rule: "refuses a signed Content-Length '+5'",
            request: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\n", error: .invalidContentLength),
        RefusalCase(
            rule: "refuses a negative Content-Length",
            request: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", error: .invalidContentLength),
        RefusalCase(
            rule: "refuses whitespace inside Content-Length '5 5'",
            request: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5 5\r\n\r\n", error: .invalidContentLength
        ),
        RefusalCase(
            rule: "refuses a vertical tab before the Content-Length digits",
            request: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \u{0B}5\r\n\r\n",
            error: .invalidHeaderValue),
        RefusalCase(
            rule: "refuses a hex Content-Length",
            request: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x5\r\n\r\n", error: .invalidContentLength
        ),
        RefusalCase(
            rule: "refuses an empty Content-Length",
            request: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n", error: .invalidContentLength),
        RefusalCase(
            rule: "refuses two Content-Length fields even when equal",
            request: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
            error: .duplicateContentLength),
        RefusalCase(
            rule: "refuses two conflicting Content-Length fields",
            request: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\ncontent-length: 6\r\n\r\n",
            error: .duplicateContentLength),
        RefusalCase(
            rule: "answers 413 for a huge Content-Length",
            request: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n",
            error: .bodyTooLarge),
        RefusalCase(
            rule: "refuses Transfer-Encoding whose final coding is not chunked",
            request: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
            error: .invalidTransferEncoding),
        RefusalCase(
            rule: "refuses chunked applied twice",
            request:
                "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
            error: .invalidTransferEncoding),
        RefusalCase(
            rule: "refuses an unknown transfer coding alone",
            request: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity\r\n\r\n",
            error: .invalidTransferEncoding),
        RefusalCase(
            rule: "refuses 'chunked' with a parameter",
            request: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked;q=1\r\n\r\n",
            error: .invalidTransferEncoding),
        RefusalCase(
            rule: "answers 501 for gzip before chunked",
            request: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            error: .unsupportedTransferCoding),
        RefusalCase(
            rule: "refuses Transfer-Encoding on HTTP/1.0",
            request: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", error: .invalidTransferEncoding),
        // §5.2 obsolete line folding, §2.2 line endings.
        RefusalCase(
            rule: "refuses obsolete line folding",
            request: "GET / HTTP/1.1\r\nHost: h\r\nX-A: one\r\n two\r\n\r\n", error: .obsoleteLineFolding),
        RefusalCase(
            rule: "refuses whitespace before the first field line",
            request: "GET / HTTP/1.1\r\n Host: h\r\n\r\n", error: .obsoleteLineFolding),
        RefusalCase(
            rule: "refuses a bare CR in a field value",
            request: "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\rb\r\n\r\n", error: .bareCR),
        RefusalCase(
            rule: "refuses a bare CR in the request line",
            request: "GET /\r HTTP/1.1\r\nHost: h\r\n\r\n", error: .bareCR),
        RefusalCase(
            rule: "refuses a bare LF line ending by default",
            request: "GET / HTTP/1.1\nHost: h\r\n\r\n", error: .bareLF),
        RefusalCase(
            rule: "refuses a bare LF ending a field line",
            request: "GET / HTTP/1.1\r\nHost: h\n\r\n", error: .bareLF),
        // §5.1 field syntax.
        RefusalCase(
            rule: "refuses whitespace between field name and colon",
            request: "GET / HTTP/1.1\r\nHost : h\r\n\r\n", error: .whitespaceBeforeColon),
        RefusalCase(
            rule: "refuses a tab between field name and colon",
            request: "GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", error: .whitespaceBeforeColon),
        RefusalCase(
            rule: "refuses a field name with a non-token character",
            request: "GET / HTTP/1.1\r\nHost: h\r\nX(A): 1\r\n\r\n", error: .invalidHeaderName),
        RefusalCase(
            rule: "refuses an empty field name",
            request: "GET / HTTP/1.1\r\nHost: h\r\n: 1\r\n\r\n", error: .invalidHeaderName),
        RefusalCase(
            rule: "refuses a field line without a colon",
            request: "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", error: .invalidHeaderName),
        RefusalCase(
            rule: "refuses a NUL in a field value",
            request: "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u{0}b\r\n\r\n", error: .invalidHeaderValue),
        RefusalCase(
            rule: "refuses DEL in a field value",
            request: "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u{7F}b\r\n\r\n", error: .invalidHeaderValue),
        // §3 request line.
        RefusalCase(
            rule: "refuses a request line with two spaces",
            request: "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", error: .invalidRequestLine),
        RefusalCase(
            rule: "refuses a request line with a tab separator",
            request: "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", error: .invalidRequestLine),
        RefusalCase(
            rule: "refuses a request line with a trailing space",
            request: "GET / HTTP/1.1 \r\nHost: h\r\n\r\n", error: .invalidRequestLine),
        RefusalCase(
            rule: "refuses a request line with two parts",
            request: "GET /\r\nHost: h\r\n\r\n", error: .invalidRequestLine),
        RefusalCase(
            rule: "refuses a method with a non-token character",
            request: "GE@T / HTTP/1.1\r\nHost: h\r\n\r\n", error: .invalidMethod),
        RefusalCase(
            rule: "refuses a target with a non-ASCII byte",
            request: "GET /caf\u{E9} HTTP/1.1\r\nHost: h\r\n\r\n", error: .invalidTarget),
        RefusalCase(
            rule: "refuses a target in no known form",
            request: "GET index.html HTTP/1.1\r\nHost: h\r\n\r\n", error: .invalidTarget),
        RefusalCase(
            rule: "refuses the asterisk form outside OPTIONS",
            request: "GET * HTTP/1.1\r\nHost: h\r\n\r\n", error: .invalidTarget),
        RefusalCase(
            rule: "refuses a lowercase HTTP-name",
            request: "GET / http/1.1\r\nHost: h\r\n\r\n", error: .invalidVersion),
        RefusalCase(
            rule: "refuses a two-digit minor version",
            request: "GET / HTTP/1.10\r\nHost: h\r\n\r\n", error: .invalidVersion),
        RefusalCase(
            rule: "answers 505 to HTTP/2.0",
            request: "GET / HTTP/2.0\r\nHost: h\r\n\r\n", error: .unsupportedVersion),
        RefusalCase(
            rule: "answers 505 to HTTP/1.2",
            request: "GET / HTTP/1.2\r\nHost: h\r\n\r\n", error: .unsupportedVersion),
        RefusalCase(
            rule: "answers 505 to HTTP/0.9",
            request: "GET / HTTP/0.9\r\nHost: h\r\n\r\n", error: .unsupportedVersion),
        // §3.2 Host.
        RefusalCase(
            rule: "refuses an HTTP/1.1 request without Host",
            request: "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", error: .missingHost),
        RefusalCase(
            rule: "refuses two Host fields",
            request: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", error: .duplicateHost),
        // RFC 9110 §10.1.1.
        RefusalCase(
            rule: "answers 417 to an unknown expectation",
            request: "POST / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx",
            error: .unsupportedExpectation),
        // §7.1 chunked.
        RefusalCase(
            rule: "refuses a chunk size that is not hex",
            request: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            error: .invalidChunkSize),
        RefusalCase(
            rule: "refuses an empty chunk size",
            request: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",
            error: .invalidChunkSize),
        RefusalCase(
            rule: "refuses a signed chunk size",
            request: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n+5\r\n",
            error: .invalidChunkSize),
        RefusalCase(
            rule: "refuses trailing garbage after a chunk size",
            request: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\n",
            error: .invalidChunkSize),
        RefusalCase(
            rule: "refuses chunk data not followed by CRLF",
            request: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n",
            error: .invalidChunkTerminator),
        RefusalCase(
            rule: "refuses a chunk size overflowing 64 bits",
            request:
                "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1ffffffffffffffffff\r\n",
            error: .bodyTooLarge),
        RefusalCase(
            rule: "refuses obsolete line folding in trailers",
            request:
                "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: a\r\n b\r\n\r\n",
            error: .obsoleteLineFolding),
    ]

    @Test("refuses the request", arguments: cases)
    func refuses(_ refusal: RefusalCase) {
        let outcome = ParseOutcome(refusal.request)
        #expect(outcome.error == refusal.error, "\(refusal.rule): \(outcome)")
        #expect(
            outcome.heads.isEmpty || refusal.error == .invalidChunkSize
                || refusal.error == .invalidChunkTerminator || refusal.error == .obsoleteLineFolding
                || refusal.error == .bodyTooLarge)
    }

    @Test("keeps failing with the same error after a refusal")
    func staysFailed() throws {
        var parser = HTTP1Parser()
        var events: [HTTP1ParserEvent] = []
        #expect(throws: HTTP1ParseError.bareLF) {
            try parser.feed(Array("GET / HTTP/1.1\n".utf8), into: &events)
        }
        #expect(throws: HTTP1ParseError.bareLF) {
            try parser.feed(Array("GET / HTTP/1.1\r\n".utf8), into: &events)
        }
    }

    @Test("accepts bare LF when the policy allows it")
    func bareLFPolicy() {
        let configuration = HTTP1Parser.Configuration(allowsBareLF: true)
        let outcome = ParseOutcome(
            "POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n",
            configuration: configuration)
        #expect(outcome.error == nil)
        #expect(outcome.bodies == ["abc"])
    }

    @Test("still refuses a bare CR when bare LF is allowed")
    func bareCRStillRefused() {
        let outcome = ParseOutcome("GET / HTTP/1.1\nHost: h\rx\n\n", configuration: .init(allowsBareLF: true))
        #expect(outcome.error == .bareCR)
    }

    @Test("accepts optional whitespace around a field value and trims it")
    func trimsOptionalWhitespace() {
        let outcome = ParseOutcome("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \t 3 \t\r\n\r\nabc")
        #expect(outcome.error == nil)
        #expect(outcome.heads.first?.headers["content-length"] == "3")
        #expect(outcome.bodies == ["abc"])
    }

    @Test("accepts obs-text bytes in a field value")
    func acceptsObsText() {
        var bytes = Array("GET / HTTP/1.1\r\nHost: h\r\nX-Name: caf".utf8)
        bytes += [0xC3, 0xA9]
        bytes += Array("\r\n\r\n".utf8)
        let outcome = ParseOutcome(chunks: [bytes])
        #expect(outcome.error == nil)
        #expect(outcome.heads.first?.headers["X-Name"] == "café")
    }

    @Test("accepts the absolute, authority and asterisk target forms where allowed")
    func acceptsTargetForms() {
        let outcome = ParseOutcome(
            "GET http://h/x HTTP/1.1\r\nHost: h\r\n\r\nCONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n"
                + "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.heads.map(\.target) == ["http://h/x", "h:443", "*"])
    }

    @Test("ignores empty lines before a request line")
    func ignoresLeadingEmptyLines() {
        let outcome = ParseOutcome("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.heads.count == 1)
    }

    @Test("every error has a client or server error status and a distinct snake_case code")
    func errorsRenderConsistently() {
        let codes = HTTP1ParseError.allCases.map(\.code)
        #expect(Set(codes).count == codes.count)
        for error in HTTP1ParseError.allCases {
            #expect((400...505).contains(error.statusCode))
            #expect(error.code.allSatisfy { $0.isLowercase || $0 == "_" })
            #expect(!error.message.isEmpty)
        }
        #expect(HTTP1ParseError.headerTooLarge.statusCode == 431)
        #expect(HTTP1ParseError.requestLineTooLong.statusCode == 414)
        #expect(HTTP1ParseError.bodyTooLarge.statusCode == 413)
        #expect(HTTP1ParseError.unsupportedVersion.statusCode == 505)
    }
}
