import PersonaTestSupport
import HTTP1
import HTTPServer
import Reactor
import Testing

@Suite("HTTPServer over loopback")
struct HTTPServerTests {
    @Test("keeps a connection alive across sequential requests")
    func keepAlive() throws {
        let server = try TestServer()
        let client = server.client()
        let reader = ResponseReader(client)
        for index in 1...3 {
            client.send("GET /items/\(index) HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try #require(reader.next())
            #expect(response.status == 200)
            #expect(response.bodyText == "item \(index)")
            #expect(response.headers["Connection"] == nil)
            #expect(response.headers["Date"] != nil)
        }
    }

    @Test("answers pipelined requests in request order even when the first finishes last")
    func pipeliningInOrder() throws {
        let server = try TestServer { $0.maxPipelinedRequests = 2 }
        let client = server.client()
        let reader = ResponseReader(client)
        client.send(
            "GET /deferred HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n"
                + "GET /items/3 HTTP/1.1\r\nHost: t\r\n\r\nGET /items/4 HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(server.gate.arrived.wait())
        #expect(server.helloServed.wait())  // the second response is ready before the first
        server.gate.release("first")
        let bodies = (0..<4).compactMap { _ in reader.next()?.bodyText }
        #expect(bodies == ["first", "hello", "item 3", "item 4"])
    }

    @Test("reads a chunked request body")
    func chunkedIn() throws {
        let server = try TestServer()
        let client = server.client()
        client.send(
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n"
        )
        let response = try #require(ResponseReader(client).next())
        #expect(response.bodyText == "hello, world")
    }

    @Test("streams a chunked response written from another thread")
    func chunkedOut() throws {
        let server = try TestServer()
        let client = server.client()
        client.send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try #require(ResponseReader(client).next())
        #expect(response.headers["Transfer-Encoding"] == "chunked")
        #expect(response.bodyText == "one,two,three")
    }

    @Test("streams Server-Sent Events with the event-stream content type")
    func serverSentEvents() throws {
        let server = try TestServer()
        let client = server.client()
        client.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try #require(ResponseReader(client).next())
        #expect(response.headers["Content-Type"]?.hasPrefix("text/event-stream") == true)
        #expect(response.bodyText.ranges(of: "event: tick\n").count == 3)
        #expect(["data: n=1\n", "data: n=2\n", "data: n=3\n"].allSatisfy { response.bodyText.contains($0) })
    }

    @Test("sends 100 Continue before reading a body the client is holding back")
    func expectContinue() throws {
        let server = try TestServer()
        let client = server.client()
        let reader = ResponseReader(client)
        client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        // Read the interim response raw (a response-head parser skips 1xx by design).
        let interim = client.receive(exactly: HTTP1ResponseEncoder.continueResponse.count)
        #expect(interim == HTTP1ResponseEncoder.continueResponse)
        client.send("ping")
        let final = try #require(reader.next())
        #expect(final.status == 200)
        #expect(final.bodyText == "ping")
    }

    @Test("answers an expectation for an unknown route with the final status at once")
    func expectContinueRefused() throws {
        let server = try TestServer()
        let client = server.client()
        client.send("POST /nowhere HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        let response = try #require(ResponseReader(client).next())
        #expect(response.status == 404)
        #expect(response.headers["Connection"] == "close")
    }

    @Test("answers 405 with Allow for a known path under another method")
    func methodNotAllowed() throws {
        let server = try TestServer()
        let client = server.client()
        client.send("DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try #require(ResponseReader(client).next())
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "GET")
        #expect(response.bodyText.contains("\"method_not_allowed\""))
    }

    @Test("refuses a Content-Length + Transfer-Encoding smuggling attempt and closes")
    func smuggling() throws {
        let server = try TestServer()
        let client = server.client()
        client.send(
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        let reader = ResponseReader(client)
        let response = try #require(reader.next())
        #expect(response.status == 400)
        #expect(response.headers["Connection"] == "close")
        #expect(response.bodyText.contains("\"error\""))
        #expect(reader.next() == nil)  // the smuggled GET is never answered
    }

    @Test("answers 408 to a slowloris client that never finishes its head")
    func slowloris() throws {
        let server = try TestServer { $0.headerReadTimeout = .milliseconds(150) }
        let client = server.client()
        client.send("GET /hello HTTP/1.1\r\nHost: t\r\n")
        client.send("X-Drip: 1\r\n")
        let reader = ResponseReader(client)
        let response = try #require(reader.next())
        #expect(response.status == 408)
        #expect(response.bodyText.contains("\"request_timeout\""))
        #expect(reader.next() == nil)
    }

    @Test("closes an idle keep-alive connection silently")
    func idleTimeout() throws {
        let server = try TestServer { $0.idleTimeout = .milliseconds(100) }
        let client = server.client()
        let reader = ResponseReader(client)
        client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(reader.next()?.status == 200)
        #expect(client.receiveUntilClose().isEmpty)
    }

    @Test("does not run a request pipelined behind one that asked to close")
    func nothingAfterClose() throws {
        let server = try TestServer()
        let client = server.client()
        client.send(
            "GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n"
        )
        let reader = ResponseReader(client)
        #expect(reader.next()?.headers["Connection"] == "close")
        #expect(reader.next() == nil)
        #expect(server.helloServed.wait())
        #expect(!server.helloServed.wait(seconds: 0))  // the handler ran once, not twice
    }

    @Test("closes after a request that asks for Connection: close")
    func connectionClose() throws {
        let server = try TestServer()
        let client = server.client()
        client.send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let reader = ResponseReader(client)
        #expect(reader.next()?.headers["Connection"] == "close")
        #expect(reader.next() == nil)
    }
}

/// Every parser limit, at its edge (accepted) and one past it (refused with its status).
@Suite("HTTPServer limits")
struct HTTPServerLimitTests {
    static let limits = HTTP1Parser.Configuration(
        maxRequestLineLength: 64, maxHeaderBytes: 128, maxHeaderCount: 4, maxBodySize: 32)

    private func exchange(_ request: String) throws -> Int {
        let server = try TestServer { $0.parser = Self.limits }
        let client = server.client()
        client.send(request)
        return try #require(ResponseReader(client).next()).status
    }

    /// A request line of exactly `length` bytes (excluding CRLF).
    private func requestLine(length: Int) -> String {
        let fixed = "GET /items/ HTTP/1.1".utf8.count
        return "GET /items/\(String(repeating: "a", count: length - fixed)) HTTP/1.1"
    }

    @Test("request line: at the limit is served, one past is 414", arguments: [(64, 200), (65, 414)])
    func requestLineLimit(length: Int, status: Int) throws {
        #expect(try exchange("\(requestLine(length: length))\r\nHost: t\r\n\r\n") == status)
    }

    @Test("header section: at the limit is served, one past is 431", arguments: [(128, 200), (129, 431)])
    func headerBytesLimit(total: Int, status: Int) throws {
        // "Host: t\r\n" is 9 bytes; the pad field "X: ...\r\n" fills the rest.
        let pad = String(repeating: "p", count: total - 9 - "X: \r\n".utf8.count)
        #expect(try exchange("GET /hello HTTP/1.1\r\nHost: t\r\nX: \(pad)\r\n\r\n") == status)
    }

    @Test("header count: at the limit is served, one past is 431", arguments: [(4, 200), (5, 431)])
    func headerCountLimit(count: Int, status: Int) throws {
        let extra = (1..<count).map { "X\($0): v\r\n" }.joined()
        #expect(try exchange("GET /hello HTTP/1.1\r\nHost: t\r\n\(extra)\r\n") == status)
    }

    @Test("body: at the limit is served, one past is 413", arguments: [(32, 200), (33, 413)])
    func bodyLimit(size: Int, status: Int) throws {
        let body = String(repeating: "b", count: size)
        #expect(
            try exchange("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(size)\r\n\r\n\(body)") == status
        )
    }

    @Test("chunked body: one past the limit is 413 too")
    func chunkedBodyLimit() throws {
        let body = String(repeating: "b", count: 33)
        #expect(
            try exchange(
                "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n21\r\n\(body)\r\n0\r\n\r\n"
            ) == 413)
    }
}
