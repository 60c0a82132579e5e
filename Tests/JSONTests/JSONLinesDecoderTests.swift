import JSON
import PersonaTestSupport
import Testing

@Suite("Newline-delimited JSON decoding")
struct JSONLinesDecoderTests {
    typealias Outcome = Result<JSONValue, JSONLinesDecoder.Failure>

    /// Feeds `chunks` one by one, draining after each, then finishes; every value and error in order.
    static func decode(_ chunks: [[UInt8]], maxLineBytes: Int = 32) -> [Outcome] {
        var decoder = JSONLinesDecoder(configuration: .init(maxLineBytes: maxLineBytes))
        var outcomes: [Outcome] = []
        func drain(_ step: (inout JSONLinesDecoder) throws(JSONLinesDecoder.Failure) -> JSONValue?) {
            while true {
                do {
                    guard let value = try step(&decoder) else { return }
                    outcomes.append(.success(value))
                } catch {
                    outcomes.append(.failure(error))
                }
            }
        }
        for chunk in chunks {
            decoder.feed(chunk)
            drain { decoder throws(JSONLinesDecoder.Failure) in try decoder.next() }
        }
        drain { decoder throws(JSONLinesDecoder.Failure) in try decoder.finish() }
        return outcomes
    }

    static let stream = Array(
        """
        {"type":"token","text":"Ahoy"}

        [1,2]\r
        {bad
          "x"\t
        "this line is far longer than thirty-two bytes"
        {"b":{"c":[true,null]}}
        42
        """.utf8)

    static let expected: [Outcome] = [
        .success(["type": "token", "text": "Ahoy"]),
        .success([1, 2]),
        .failure(.invalidJSON(JSONError(.unexpectedByte(UInt8(ascii: "b")), at: 1), line: 4)),
        .success("x"),
        .failure(.lineTooLong(limit: 32, line: 6)),
        .success(["b": ["c": [true, nil]]]),
        .success(42),
    ]

    @Test("decodes the same values and errors whole, byte by byte, and split at every index")
    func dripFeed() {
        #expect(Self.decode([Self.stream]) == Self.expected)
        for (number, chunks) in DripFeed.splits(of: Self.stream).enumerated() {
            #expect(Self.decode(chunks) == Self.expected, "split #\(number): \(chunks.map(\.count))")
        }
        var generator = SeededGenerator(seed: 0x1D_5EED)
        for _ in 0..<200 {
            let chunks = DripFeed.randomChunks(of: Self.stream, maxChunk: 9, using: &generator)
            #expect(
                Self.decode(chunks) == Self.expected, "seed \(generator.seed) chunks \(chunks.map(\.count))")
        }
    }

    @Test("accepts a line of maxLineBytes and refuses one byte more, then carries on")
    func lineLimit() {
        #expect(Self.decode([Array("12345678\n".utf8)], maxLineBytes: 8) == [.success(12_345_678)])
        #expect(Self.decode([Array("12345678".utf8)], maxLineBytes: 8) == [.success(12_345_678)])
        #expect(
            Self.decode([Array("123456789\n5\n".utf8)], maxLineBytes: 8) == [
                .failure(.lineTooLong(limit: 8, line: 1)), .success(5),
            ])
        // Without its newline the long line is refused at once, and the rest of it is skipped.
        #expect(
            Self.decode([Array("123456789".utf8), Array("0000\n7\n".utf8)], maxLineBytes: 8) == [
                .failure(.lineTooLong(limit: 8, line: 1)), .success(7),
            ])
    }

    @Test("never crashes on random bytes in random chunks, and numbers failures in order")
    func fuzz() {
        var generator = SeededGenerator(seed: 0x0D_15EA5E)
        let alphabet = Array("{}[]\",:0123456789 \n\n\n\r\\tnul".utf8) + [0x00, 0xC3, 0xFF]
        for _ in 0..<300 {
            let count = Int.random(in: 0...120, using: &generator)
            let bytes = (0..<count).map { _ in alphabet.randomElement(using: &generator)! }
            let chunks = DripFeed.randomChunks(of: bytes, maxChunk: 7, using: &generator)
            let outcomes = Self.decode(chunks, maxLineBytes: 16)
            #expect(
                outcomes == Self.decode([bytes], maxLineBytes: 16), "seed \(generator.seed) bytes \(bytes)")
            var lastLine = 0
            for case .failure(let failure) in outcomes {
                let line: Int
                switch failure {
                case .invalidJSON(_, let number), .lineTooLong(_, let number): line = number
                }
                #expect(line > lastLine, "seed \(generator.seed) bytes \(bytes)")
                lastLine = line
            }
        }
    }

    @Test("describes a failure with its line number")
    func describesFailure() {
        #expect(
            JSONLinesDecoder.Failure.lineTooLong(limit: 8, line: 3).description
                == "line 3: longer than 8 bytes")
        #expect(
            JSONLinesDecoder.Failure.invalidJSON(JSONError(.trailingComma, at: 2), line: 1).description
                == "line 1: trailing comma at byte 2")
    }
}
