import HTTP1
import PersonaTestSupport
import Testing

@Suite("HTTP/1.1 parser drip-feed and fuzz")
struct HTTP1ParserDripFeedTests {
    /// Valid and invalid inputs; each must parse identically however it is cut.
    static let corpus: [String] = [
        "GET /a HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n",
        "POST /m HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world",
        "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: v\r\n\r\n",
        "\r\nGET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nGET /after HTTP/1.1\r\nHost: h\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc",
        "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n",
        "GET / HTTP/1.1\nHost: h\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n",
        "GET /" + String(repeating: "x", count: 80) + " HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nLong: " + String(repeating: "y", count: 120) + "\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\n\r\nPOST / HTTP/1.1\r\nHost: h\r\nContent-Length: 40\r\n\r\n",
    ]

    /// Small limits so the limit paths are reached by short inputs.
    static let configuration = HTTP1Parser.Configuration(
        maxRequestLineLength: 64, maxHeaderBytes: 100, maxHeaderCount: 8, maxBodySize: 32,
        maxChunkSizeLineLength: 16)

    @Test("gives identical events whole, byte by byte and split at every index", arguments: corpus.indices)
    func dripFeed(index: Int) {
        let input = Array(Self.corpus[index].utf8)
        let whole = ParseOutcome(chunks: [input], configuration: Self.configuration)
        for chunks in DripFeed.splits(of: input) {
            let outcome = ParseOutcome(chunks: chunks, configuration: Self.configuration)
            #expect(
                outcome == whole, "input \(Self.corpus[index].debugDescription) chunks \(chunks.map(\.count))"
            )
        }
    }

    @Test("never crashes on mutated requests and parses them the same in random chunks (seeded)")
    func fuzz() {
        var generator = SeededGenerator(seed: 9112)
        let alphabet: [UInt8] = Array(" \r\n:;,0123456789aAfF-\t\u{0}\u{7F}".utf8) + [0xC3, 0xFF]
        for _ in 0..<1500 {
            var input = Array(Self.corpus.randomElement(using: &generator)!.utf8)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                guard !input.isEmpty else { break }
                let position = Int.random(in: 0..<input.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: input[position] = alphabet.randomElement(using: &generator)!
                case 1: input.insert(alphabet.randomElement(using: &generator)!, at: position)
                case 2: input.remove(at: position)
                default:
                    let end = min(input.count, position + Int.random(in: 1...20, using: &generator))
                    input.insert(contentsOf: input[position..<end], at: position)
                }
            }
            let whole = ParseOutcome(chunks: [input], configuration: Self.configuration)
            let chunks = DripFeed.randomChunks(of: input, maxChunk: 7, using: &generator)
            let pieces = ParseOutcome(chunks: chunks, configuration: Self.configuration)
            #expect(pieces == whole, "seed \(generator.seed) input \(input)")
        }
    }

    @Test("never crashes on random bytes (seeded)")
    func randomBytes() {
        var generator = SeededGenerator(seed: 11_2)
        for _ in 0..<500 {
            let count = Int.random(in: 0..<200, using: &generator)
            let input = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let outcome = ParseOutcome(chunks: [input], configuration: Self.configuration)
            // Random bytes practically never form a request line; either way, no crash.
            #expect(outcome.heads.count <= 1, "seed \(generator.seed) input \(input)")
        }
    }
}
