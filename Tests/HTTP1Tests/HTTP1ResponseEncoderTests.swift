import HTTP1
import Testing

@Suite("HTTP/1.1 response encoder (RFC 9112 §4, §6, §7)")
struct HTTP1ResponseEncoderTests {
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test("writes the status line, headers in order, Content-Length and the body")
    func contentLengthResponse() {
        var out: [UInt8] = []
        let head = HTTP1ResponseHead(
            status: .ok, headers: ["Content-Type": "text/plain", "Content-Length": "99"])
        HTTP1ResponseEncoder.encode(head, body: Array("hi".utf8), into: &out)
        #expect(
            Self.text(out) == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi")
    }

    @Test("announces but omits the body of a HEAD response")
    func headResponse() {
        var out: [UInt8] = []
        HTTP1ResponseEncoder.encode(
            HTTP1ResponseHead(status: .ok), body: Array("hello".utf8), omitBody: true, into: &out)
        #expect(Self.text(out) == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
    }

    @Test("sends no Content-Length with 204")
    func noContent() {
        var out: [UInt8] = []
        HTTP1ResponseEncoder.encode(HTTP1ResponseHead(status: .noContent), body: [UInt8](), into: &out)
        #expect(Self.text(out) == "HTTP/1.1 204 No Content\r\n\r\n")
    }

    @Test("writes the 100 Continue interim response")
    func continueResponse() {
        #expect(Self.text(HTTP1ResponseEncoder.continueResponse) == "HTTP/1.1 100 Continue\r\n\r\n")
    }

    @Test("streams chunks that the request parser decodes back")
    func chunkedRoundTrip() throws {
        var out: [UInt8] = []
        HTTP1ResponseEncoder.encodeChunkedHead(
            HTTP1ResponseHead(status: .ok, headers: ["Content-Length": "3"]), into: &out)
        #expect(Self.text(out) == "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        // Re-use the body encoding in a request so our own parser checks the framing.
        var request = Array("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        let pieces = ["Hello", "", ", ", String(repeating: "w", count: 300)]
        for piece in pieces { HTTP1ResponseEncoder.encodeChunk(Array(piece.utf8), into: &request) }
        HTTP1ResponseEncoder.encodeFinalChunk(trailers: ["X-Done": "yes"], into: &request)
        let outcome = ParseOutcome(chunks: [request])
        #expect(outcome.error == nil)
        #expect(outcome.bodies == [pieces.joined()])
        #expect(outcome.events.last == .end(trailers: ["X-Done": "yes"]))
    }

    @Test("writes the status line of any version and code without a reason phrase table")
    func statusLines() {
        var out: [UInt8] = []
        HTTP1ResponseEncoder.encodeHead(
            HTTP1ResponseHead(status: HTTPStatus(code: 599, reasonPhrase: "Odd"), version: .http1_0), into: &out)
        #expect(Self.text(out) == "HTTP/1.0 599 Odd\r\n\r\n")
    }

    @Test("neutralises CR and LF in header values and bad bytes in names (no response splitting)")
    func sanitises() {
        var out: [UInt8] = []
        let head = HTTP1ResponseHead(status: .ok, headers: ["X-Evil\r\nSet-Cookie": "a\r\nSet-Cookie: b=1"])
        HTTP1ResponseEncoder.encode(head, body: [UInt8](), into: &out)
        #expect(
            Self.text(out)
                == "HTTP/1.1 200 OK\r\nX-Evil--Set-Cookie: a  Set-Cookie: b=1\r\nContent-Length: 0\r\n\r\n")
    }

    @Test("renders a parse error as its status with a JSON body and Connection: close")
    func jsonError() {
        var out: [UInt8] = []
        HTTP1ResponseEncoder.encodeJSONError(
            for: .headerTooLarge, date: "Sun, 06 Nov 1994 08:49:37 GMT", into: &out)
        let body = #"{"error":{"code":"header_too_large","message":"The header section is too large."}}"#
        #expect(
            Self.text(out)
                == "HTTP/1.1 431 Request Header Fields Too Large\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        )
    }

    @Test("escapes quotes, backslashes and control characters in the JSON error body")
    func jsonEscaping() {
        let body = HTTP1ResponseEncoder.jsonErrorBody(code: "x", message: "a\"b\\c\nd\u{1}é")
        #expect(Self.text(body) == #"{"error":{"code":"x","message":"a\"b\\c\nd\u0001é"}}"#)
    }

    @Test("encodes a request head for clients")
    func requestHead() {
        var out: [UInt8] = []
        let head = HTTP1RequestHead(method: .get, target: "/a b", headers: ["Host": "h"])
        HTTP1RequestEncoder.encodeHead(head, into: &out)
        #expect(Self.text(out) == "GET /a%20b HTTP/1.1\r\nHost: h\r\n\r\n")
    }
}
