import PersonaTestSupport
import Redis
import Testing

@Suite("RESP fuzz")
struct RESPFuzzTests {
    /// A random value of every type, nested at most `depth` deep; strings avoid CR and LF
    /// where the protocol puts them on a line.
    static func randomValue(_ generator: inout SeededGenerator, depth: Int) -> RESPValue {
        func text(_ generator: inout SeededGenerator) -> String {
            let alphabet = Array("abcXYZ019 _-:é€\u{1F600}")
            return String((0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
        func bytes(_ generator: inout SeededGenerator) -> [UInt8] {
            (0..<Int.random(in: 0...12, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        let scalarCases = 11
        let choice = Int.random(in: 0..<(depth > 0 ? scalarCases + 5 : scalarCases), using: &generator)
        switch choice {
        case 0: return .simpleString(text(&generator))
        case 1: return .error(text(&generator))
        case 2: return .integer(Int64.random(in: Int64.min...Int64.max, using: &generator))
        case 3: return .bulkString(bytes(&generator))
        case 4: return .null
        case 5: return .boolean(Bool.random(using: &generator))
        case 6: return .double(Double.random(in: -1e12...1e12, using: &generator))
        case 7: return .bigNumber((Bool.random(using: &generator) ? "-" : "") + String(UInt64.random(in: 0...UInt64.max, using: &generator)) + "123456789")
        case 8: return .bulkError(bytes(&generator))
        case 9: return .verbatimString(format: "txt", text: bytes(&generator))
        case 10: return .double([.infinity, -.infinity, 0, -0.0].randomElement(using: &generator)!)
        default:
            let count = Int.random(in: 0...4, using: &generator)
            let items = (0..<count).map { _ in randomValue(&generator, depth: depth - 1) }
            switch choice - scalarCases {
            case 0: return .array(items)
            case 1: return .set(items)
            case 2: return .push(items)
            case 3: return .map(items.map { RESPPair($0, randomValue(&generator, depth: depth - 1)) })
            default: return .attributed(items.map { RESPPair($0, .integer(1)) }, randomValue(&generator, depth: depth - 1))
            }
        }
    }

    @Test("decode(encode(x)) == x for random values fed in random chunks", arguments: [UInt64(1), 2, 3, 4])
    func roundTrip(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        for round in 0..<300 {
            let values = (0..<Int.random(in: 1...4, using: &generator)).map { _ in Self.randomValue(&generator, depth: 4) }
            let stream = values.flatMap { RESPEncoder.encode($0) }
            var parser = RESPParser()
            var decoded: [RESPValue] = []
            for chunk in DripFeed.randomChunks(of: stream, maxChunk: 9, using: &generator) {
                parser.append(chunk)
                while let value = try parser.next() { decoded.append(value) }
            }
            #expect(decoded == values, "seed \(seed) round \(round): \(values)")
        }
    }

    @Test("random and mutated bytes never crash or hang: a value, nothing yet, or a typed error", arguments: [UInt64(11), 12, 13])
    func randomBytes(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let markers = Array("+-:$*_#,(!=%~|>\r\n0123456789?".utf8)
        for round in 0..<3000 {
            var input: [UInt8]
            if round % 2 == 0 {
                // A valid stream with a few bytes replaced.
                input = RESPEncoder.encode(Self.randomValue(&generator, depth: 3))
                for _ in 0..<Int.random(in: 1...3, using: &generator) where !input.isEmpty {
                    input[Int.random(in: 0..<input.count, using: &generator)] = markers.randomElement(using: &generator)!
                }
            } else {
                input = (0..<Int.random(in: 0...40, using: &generator)).map { _ in markers.randomElement(using: &generator)! }
            }
            var parser = RESPParser(configuration: .init(maxBulkBytes: 64, maxAggregateCount: 16, maxDepth: 8, maxLineBytes: 64))
            parser.append(input)
            var steps = 0
            do {
                while let value = try parser.next() {
                    // Whatever parses re-encodes to bytes that parse back to the same bytes.
                    let once = RESPEncoder.encode(value)
                    let again = try? RESPParser.parseAll(once)
                    #expect(again.map { $0.flatMap { RESPEncoder.encode($0) } } == once, "seed \(seed) round \(round): \(input)")
                    steps += 1
                    #expect(steps <= input.count, "seed \(seed) round \(round): more values than bytes")
                    if steps > input.count { break }
                }
            } catch {
                // A typed RESPError is the expected outcome for garbage.
            }
        }
    }
}
