import HTTP1
import HTTPServer
import PersonaTestSupport
import Reactor
import Testing

@Suite("Admin HTTP client: loopback URLs, body framing, a real server")
struct HTTPClientTests {
    @Test(
        "accepts loopback URLs and refuses anything else",
        arguments: [
            ("http://127.0.0.1:8081", "127.0.0.1", 8081, ""),
            ("http://localhost:9000/base/", "127.0.0.1", 9000, "/base"),
            ("http://127.5.6.7:1", "127.5.6.7", 1, ""), ("http://[::1]:8081", "::1", 8081, ""),
        ])
    func loopback(text: String, host: String, port: Int, base: String) throws {
        let url = try HTTPClientURL(parsing: text)
        #expect(url.address.host == host && url.address.port == port && url.basePath == base)
    }

    @Test(
        "refuses remote, named and malformed URLs",
        arguments: [
            "http://10.0.0.1:8081", "http://example.com:8081", "https://127.0.0.1:8081", "http://127.0.0.1:0",
            "http://127.0.0.1:99999", "http://[::1", "127.0.0.1:8081",
        ])
    func refuses(text: String) {
        #expect(throws: HTTPClientError.self) { try HTTPClientURL(parsing: text) }
    }

    @Test("decodes a chunked body the same whole and split at every index")
    func chunked() throws {
        let wire = Array(
            "4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nTrailer: x\r\n\r\n".utf8)
        #expect(try HTTPClient.decodeChunked(wire) == Array("Wikipedia in\r\n\r\nchunks.".utf8))
        for cut in 0..<wire.count {
            #expect(try HTTPClient.decodeChunked(Array(wire[..<cut])) == nil, "prefix of \(cut) bytes")
        }
        #expect(throws: HTTPClientError.self) { try HTTPClient.decodeChunked(Array("zz\r\n".utf8)) }
        #expect(throws: HTTPClientError.self) { try HTTPClient.decodeChunked(Array("2\r\nabX\r\n".utf8)) }
    }

    @Test("a seeded fuzz of chunked input never crashes or loops")
    func fuzzChunked() {
        var generator = SeededGenerator(seed: 0xC11E)
        let alphabet = Array("0123456789abcdefAF;=\r\n xyz".utf8)
        for round in 0..<2_000 {
            let input = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            }
            do {
                _ = try HTTPClient.decodeChunked(input)
            } catch {
                // Rejections are fine; crashes and hangs are not.
                _ = "\(round): \(input)"
            }
        }
    }

    @Test(
        "talks to a real server: content-length, chunked stream, POST body, 404, body limit exceeded by one")
    func realServer() throws {
        var router = HTTPRouter()
        router.get("/plain") { _ in .response(.text("hello")) }
        router.post("/echo") { request in .response(HTTPResponse(body: request.body)) }
        router.get("/stream") { _ in
            .stream(HTTP1ResponseHead(status: .ok)) { stream in
                stream.write(Array("one ".utf8))
                stream.write(Array("two".utf8))
                stream.finish()
            }
        }
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let server = HTTPServer(router: router, group: group)
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let bound = try server.start(at: SocketAddress(host: "127.0.0.1", port: 0))
        let url = try HTTPClientURL(parsing: "http://127.0.0.1:\(bound.port)")
        let plain = try HTTPClient.perform(method: .get, url: url, path: "/plain")
        #expect(plain.status.code == 200 && plain.text == "hello")
        let echo = try HTTPClient.perform(method: .post, url: url, path: "/echo", body: Array("payload".utf8))
        #expect(echo.text == "payload")
        let stream = try HTTPClient.perform(method: .get, url: url, path: "/stream")
        #expect(stream.text == "one two")
        let missing = try HTTPClient.perform(method: .get, url: url, path: "/nope")
        #expect(missing.status.code == 404)
        #expect(throws: HTTPClientError.bodyTooLarge(limit: 4)) {
            try HTTPClient.perform(
                method: .get, url: url, path: "/plain", configuration: .init(maxBodyBytes: 4))
        }
        #expect(
            try HTTPClient.perform(
                method: .get, url: url, path: "/plain", configuration: .init(maxBodyBytes: 5)
            ).text == "hello")
    }
}
