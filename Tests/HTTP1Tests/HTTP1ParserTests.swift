import HTTP1
import Testing

@Suite("HTTP/1.1 request parser")
struct HTTP1ParserTests {
    @Test("parses a GET head with method, target, version and headers in order")
    func parsesSimpleGet() throws {
        let outcome = ParseOutcome(
            "GET /v1/ws?x=1 HTTP/1.1\r\nHost: example.com\r\nX-Custom-Name: A b\r\n\r\n")
        #expect(outcome.error == nil)
        let head = try #require(outcome.heads.first)
        #expect(head.method == .get)
        #expect(head.target == "/v1/ws?x=1")
        #expect(head.path == "/v1/ws")
        #expect(head.query == "x=1")
        #expect(head.version == .http1_1)
        #expect(head.headers.fields.map(\.name) == ["Host", "X-Custom-Name"])
        #expect(head.headers["x-custom-name"] == "A b")
        #expect(head.keepAlive)
        #expect(head.bodyFraming == .none)
        #expect(outcome.events.last == .end(trailers: [:]))
    }

    @Test("parses a Content-Length body")
    func parsesContentLengthBody() {
        let outcome = ParseOutcome("POST /m HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello")
        #expect(outcome.error == nil)
        #expect(outcome.heads.first?.bodyFraming == .contentLength(5))
        #expect(outcome.bodies == ["hello"])
    }

    @Test("parses pipelined requests in one buffer in order")
    func parsesPipelinedRequests() {
        let one = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
        let two = "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
        let three = "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n"
        let outcome = ParseOutcome(one + two + three)
        #expect(outcome.error == nil)
        #expect(outcome.heads.map(\.target) == ["/a", "/b", "/c"])
        #expect(outcome.bodies == ["", "abc", "xy"])
    }
}
