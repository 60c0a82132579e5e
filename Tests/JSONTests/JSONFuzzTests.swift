import JSON
import PersonaTestSupport
import Testing

@Suite("JSON under random input")
struct JSONFuzzTests {
    @Test("reads back every random value it writes, compact and pretty")
    func roundTrip() throws {
        var generator = SeededGenerator(seed: 0x15_0A_2026)
        for _ in 0..<2000 {
            let value = RandomJSON.value(depth: 4, using: &generator)
            for pretty in [false, true] {
                let bytes = value.serializedBytes(pretty: pretty)
                let parsed = try JSONParser().parse(bytes)
                #expect(
                    parsed == value, "seed \(generator.seed) text \(String(decoding: bytes, as: UTF8.self))")
                #expect(parsed.serializedBytes(pretty: pretty) == bytes, "seed \(generator.seed)")
            }
        }
    }

    @Test("never crashes on random bytes, and every error points inside the input")
    func byteSoup() {
        var generator = SeededGenerator(seed: 0xB17E_5009)
        let alphabet =
            Array("{}[]\",:\\/0123456789-+.eEtrufalsn \t\r\nu".utf8) + [
                0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xED, 0xF4, 0xFF,
            ]
        for _ in 0..<5000 {
            let count = Int.random(in: 0...40, using: &generator)
            let bytes = (0..<count).map { _ in
                Bool.random(using: &generator)
                    ? alphabet.randomElement(using: &generator)!
                    : UInt8.random(in: 0...255, using: &generator)
            }
            do {
                _ = try JSONParser(configuration: .init(maxDepth: 8)).parse(bytes)
            } catch {
                #expect((0...bytes.count).contains(error.offset), "seed \(generator.seed) bytes \(bytes)")
            }
        }
    }

    @Test("never crashes on mutated valid documents")
    func mutations() {
        var generator = SeededGenerator(seed: 0x3D17)
        for _ in 0..<2000 {
            var bytes = RandomJSON.value(depth: 3, using: &generator).serializedBytes()
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let index = Int.random(in: 0...bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0 where index < bytes.count: bytes.remove(at: index)
                case 1 where index < bytes.count: bytes[index] = UInt8.random(in: 0...255, using: &generator)
                default: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: index)
                }
            }
            do {
                let value = try JSONParser().parse(bytes)
                // Whatever parsed must survive its own round trip.
                #expect(try JSONParser().parse(value.serializedBytes()) == value, "seed \(generator.seed)")
            } catch {
                #expect((0...bytes.count).contains(error.offset), "seed \(generator.seed) bytes \(bytes)")
            }
        }
    }
}
