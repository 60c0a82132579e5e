import HTTP1
import PersonaTestSupport
import Testing

@Suite("HTTP/1.1 response head parser (client side)")
struct HTTP1ResponseHeadParserTests {
    static let response =
        Array(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                .utf8)
        + [0x81, 0x02, 0x68, 0x69]

    @Test("skips 1xx interim responses and returns the head with the bytes after it")
    func parses() throws {
        var parser = HTTP1ResponseHeadParser()
        let result = try #require(try parser.feed(Self.response))
        #expect(result.head.status.code == 101)
        #expect(result.head.status.reasonPhrase == "Switching Protocols")
        #expect(result.head.headers["upgrade"] == "websocket")
        #expect(result.remainder == [0x81, 0x02, 0x68, 0x69])
    }

    @Test("gives the same head and remainder however the bytes are split")
    func dripFeed() throws {
        for chunks in DripFeed.splits(of: Self.response) {
            var parser = HTTP1ResponseHeadParser()
            var result: (head: HTTP1ResponseHead, remainder: [UInt8])?
            var rest: [UInt8] = []
            for chunk in chunks {
                if result != nil {
                    rest += chunk
                } else {
                    result = try parser.feed(chunk)
                }
            }
            #expect(result?.head.status.code == 101)
            #expect((result?.remainder ?? []) + rest == [0x81, 0x02, 0x68, 0x69])
        }
    }

    @Test(
        "refuses a malformed status line",
        arguments: ["HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 200OK\r\n\r\n", "HTTP/3.0 200 OK\r\n\r\n"])
    func refusesStatusLine(text: String) {
        var parser = HTTP1ResponseHeadParser()
        #expect(throws: HTTP1ParseError.self) { try parser.feed(Array(text.utf8)) }
    }

    @Test("refuses a header section one byte over maxHeaderBytes")
    func headerLimit() throws {
        var parser = HTTP1ResponseHeadParser(configuration: .init(maxHeaderBytes: 10))
        #expect(try parser.feed(Array("HTTP/1.1 200 OK\r\nA: 123\r\n\r\n".utf8)) != nil)  // 8 bytes
        var over = HTTP1ResponseHeadParser(configuration: .init(maxHeaderBytes: 10))
        #expect(throws: HTTP1ParseError.headerTooLarge) {
            try over.feed(Array("HTTP/1.1 200 OK\r\nA: 123456\r\n\r\n".utf8))  // 11 bytes
        }
    }

    /// Everything a response head parser produced for chunks: the head (if any), all bytes
    /// after it, and the error.
    static func outcome(_ chunks: [[UInt8]]) -> String {
        var parser = HTTP1ResponseHeadParser(
            configuration: .init(maxRequestLineLength: 40, maxHeaderBytes: 60))
        var result: (head: HTTP1ResponseHead, remainder: [UInt8])?
        var rest: [UInt8] = []
        do {
            for chunk in chunks {
                if result != nil {
                    rest += chunk
                } else {
                    result = try parser.feed(chunk)
                }
            }
        } catch {
            return "error \(error)"
        }
        guard let result else { return "incomplete" }
        return "\(result.head) \((result.remainder) + rest)"
    }

    @Test("never crashes on mutated responses and parses them the same in random chunks (seeded)")
    func fuzz() {
        var generator = SeededGenerator(seed: 9110)
        let alphabet: [UInt8] = Array(" \r\n:0123456789HTP/.".utf8) + [0x00, 0x7F, 0xFF]
        for _ in 0..<1000 {
            var input = Self.response
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<input.count, using: &generator)
                if Bool.random(using: &generator) {
                    input[position] = alphabet.randomElement(using: &generator)!
                } else {
                    input.remove(at: position)
                }
            }
            let whole = Self.outcome([input])
            let pieces = Self.outcome(DripFeed.randomChunks(of: input, maxChunk: 6, using: &generator))
            #expect(pieces == whole, "seed \(generator.seed) input \(input)")
        }
    }
}
