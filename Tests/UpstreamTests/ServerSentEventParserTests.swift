import HTTP1
import PersonaTestSupport
import Testing

@Suite("Event-stream parser")
struct ServerSentEventParserTests {
    static let stream = Array(
        "\u{FEFF}: keep-alive\r\ndata: {\"a\":1}\r\n\r\nevent: message\ndata:two\ndata: lines\n\nid: 7\rretry: 1500\rdata: cr only\r\r: comment only\n\ndata\n\ndata: [DONE]\n\n"
            .utf8)

    static let expected = [
        ServerSentEvent(data: "{\"a\":1}"),
        ServerSentEvent(event: "message", data: "two\nlines"),
        ServerSentEvent(data: "cr only", id: "7", retryMilliseconds: 1500),
        ServerSentEvent(data: "", id: "7"),
        ServerSentEvent(data: "[DONE]", id: "7"),
    ]

    @Test("parses comments, CRLF, LF and CR line ends, multi-line data, ids and retry")
    func parsesWholeStream() throws {
        var parser = ServerSentEventParser()
        #expect(try parser.feed(Self.stream) == Self.expected)
    }

    @Test("gives the same events whether fed whole, byte by byte or split at any index")
    func dripFeed() throws {
        for split in DripFeed.splits(of: Self.stream) {
            var parser = ServerSentEventParser()
            var events: [ServerSentEvent] = []
            for chunk in split { events += try parser.feed(chunk) }
            #expect(events == Self.expected, "split \(split.map(\.count))")
        }
    }

    @Test("refuses a line one byte longer than the limit, and accepts one at the limit")
    func lineLimit() throws {
        let configuration = ServerSentEventParser.Configuration(maxLineLength: 16, maxEventBytes: 1024)
        var atLimit = ServerSentEventParser(configuration: configuration)
        let ok = try atLimit.feed(Array(("data: " + String(repeating: "x", count: 10) + "\n\n").utf8))
        #expect(ok.first?.data.count == 10)
        var over = ServerSentEventParser(configuration: configuration)
        #expect(throws: ServerSentEventParser.ParseError.lineTooLong) {
            _ = try over.feed(Array(("data: " + String(repeating: "x", count: 11)).utf8))
        }
    }

    @Test("refuses an event whose data grows one byte past the limit")
    func eventLimit() throws {
        let configuration = ServerSentEventParser.Configuration(maxLineLength: 100, maxEventBytes: 8)
        var parser = ServerSentEventParser(configuration: configuration)
        _ = try parser.feed(Array("data: 1234\ndata: 123\n".utf8))  // 4 + LF + 3 = 8
        #expect(throws: ServerSentEventParser.ParseError.eventTooLarge) {
            _ = try parser.feed(Array("data: 1\n".utf8))
        }
    }

    @Test("never crashes on random bytes and gives split-independent results", arguments: [1, 2, 3, 4, 5])
    func fuzz(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let alphabet = Array("data: x{}:\r\n\nevent id retry 9".utf8) + [0xEF, 0xBB, 0xBF, 0]
        for _ in 0..<200 {
            let length = Int.random(in: 0...200, using: &generator)
            let input = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            var whole = ServerSentEventParser(configuration: .init(maxLineLength: 64, maxEventBytes: 128))
            let expected = Result { try whole.feed(input) }
            var pieces = ServerSentEventParser(configuration: .init(maxLineLength: 64, maxEventBytes: 128))
            let chunks = DripFeed.randomChunks(of: input, maxChunk: 7, using: &generator)
            let got = Result { try chunks.flatMap { try pieces.feed($0) } }
            switch (expected, got) {
            case (.success(let a), .success(let b)): #expect(a == b, "seed \(seed) input \(input)")
            case (.failure, .failure): break
            default: Issue.record("seed \(seed): whole and split disagree on \(input)")
            }
        }
    }
}
