import HTTP1
import PersonaTestSupport
import Testing

@Suite("Chunked body decoder")
struct ChunkedBodyDecoderTests {
    static let body = Array("5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: yes\r\n\r\nNEXT".utf8)

    @Test("decodes data, skips extensions and trailers, and keeps what follows the body")
    func decodes() throws {
        var decoder = ChunkedBodyDecoder()
        let data = try decoder.feed(Self.body)
        #expect(String(decoding: data, as: UTF8.self) == "helloabcdefghijklmnopqrstuvwxyz")
        #expect(decoder.isComplete)
        #expect(decoder.remainder == Array("NEXT".utf8))
    }

    @Test("gives the same data fed whole, byte by byte or split at any index")
    func dripFeed() throws {
        for split in DripFeed.splits(of: Self.body) {
            var decoder = ChunkedBodyDecoder()
            var data: [UInt8] = []
            for chunk in split { data += try decoder.feed(chunk) }
            #expect(String(decoding: data, as: UTF8.self) == "helloabcdefghijklmnopqrstuvwxyz")
            #expect(decoder.isComplete && decoder.remainder == Array("NEXT".utf8))
        }
    }

    @Test("refuses bad sizes, a missing CRLF after data and an over-long size line", arguments: [
        ("zz\r\n", ChunkedBodyDecoder.DecodeError.invalidChunkSize),
        ("\r\n", .invalidChunkSize),
        ("1000000000000000\r\n", .invalidChunkSize),
        ("2\r\nabX", .missingChunkTerminator),
        ("1" + String(repeating: " ", count: 20) + "\r\n", .lineTooLong),
    ])
    func refuses(input: String, error: ChunkedBodyDecoder.DecodeError) {
        var decoder = ChunkedBodyDecoder(maxLineLength: 20)
        #expect(throws: error) { _ = try decoder.feed(Array(input.utf8)) }
    }

    @Test("accepts a size line exactly at the limit")
    func lineAtLimit() throws {
        var decoder = ChunkedBodyDecoder(maxLineLength: 8)
        _ = try decoder.feed(Array("1;abcdef\r\nx\r\n".utf8))
        #expect(!decoder.isComplete)
    }

    @Test("never crashes on random input and agrees with itself across splits", arguments: [11, 12, 13])
    func fuzz(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let alphabet = Array("0123456789abcdefABCDEF;=\r\n xyz".utf8)
        for _ in 0..<300 {
            let input = (0..<Int.random(in: 0...80, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            }
            var whole = ChunkedBodyDecoder(maxLineLength: 16)
            let expected = Result { try whole.feed(input) }
            var pieces = ChunkedBodyDecoder(maxLineLength: 16)
            let chunks = DripFeed.randomChunks(of: input, maxChunk: 5, using: &generator)
            let got = Result { try chunks.flatMap { try pieces.feed($0) } }
            switch (expected, got) {
            case (.success(let a), .success(let b)): #expect(a == b, "seed \(seed) input \(input)")
            case (.failure, .failure): break
            default: Issue.record("seed \(seed): whole and split disagree on \(input)")
            }
        }
    }
}
