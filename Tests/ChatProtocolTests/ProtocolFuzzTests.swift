import ChatProtocol
import JSON
import PersonaTestSupport
import Testing

@Suite("Protocol fuzz")
struct ProtocolFuzzTests {
    static let keys = [
        "type", "session", "text", "id", "on", "personality", "mode", "language", "tags", "tenant",
        "session_ref", "want", "x",
    ]
    static let types = ["start", "message", "typing", "cancel", "end", "next", "ping", "pong", "welcome", ""]

    static func randomValue(_ generator: inout SeededGenerator, depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0..<(depth > 2 ? 5 : 7), using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .integer(Int64.random(in: -5...5, using: &generator))
        case 3:
            return .string(
                ["", "s0-1", "random", "direct", "partner", "bot", "x", "héllo"].randomElement(
                    using: &generator)!)
        case 4: return .double(1.5)
        case 5:
            return .array(
                (0..<Int.random(in: 0..<3, using: &generator)).map { _ in
                    randomValue(&generator, depth: depth + 1)
                })
        default:
            return .object(
                JSONObject(
                    (0..<Int.random(in: 0..<3, using: &generator)).map { _ in
                        (keys.randomElement(using: &generator)!, randomValue(&generator, depth: depth + 1))
                    }))
        }
    }

    @Test("random frames built from protocol words never crash, and whatever decodes re-encodes to itself")
    func structured() {
        var generator = SeededGenerator(seed: 0xC0FFEE)
        let decoder = ClientMessageDecoder()
        for _ in 0..<5_000 {
            var members: [(String, JSONValue)] = [
                ("type", .string(Self.types.randomElement(using: &generator)!))
            ]
            for _ in 0..<Int.random(in: 0..<5, using: &generator) {
                members.append((Self.keys.randomElement(using: &generator)!, Self.randomValue(&generator)))
            }
            let frame = JSONValue.object(JSONObject(members)).serializedBytes()
            do {
                let message = try decoder.decode(frame)
                #expect(
                    try decoder.decode(message.encoded()) == message,
                    "seed \(generator.seed) frame \(String(decoding: frame, as: UTF8.self))")
            } catch {
                #expect(!error.message.isEmpty)
            }
            _ = try? ServerMessage(decoding: frame)
        }
    }

    @Test("random bytes never crash either decoder")
    func bytes() {
        var generator = SeededGenerator(seed: 0xBAD5EED)
        let decoder = ClientMessageDecoder()
        let alphabet =
            Array(#"{}[]":,type message session text id 0123456789 truefalsenull\ é"#.utf8) + [
                0, 0xFF, 0xC3, 0x80,
            ]
        for _ in 0..<5_000 {
            let length = Int.random(in: 0..<64, using: &generator)
            let frame = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            do {
                _ = try decoder.decode(frame)
            } catch {
                #expect(ErrorCode.allCases.contains(error.code))
            }
            _ = try? ServerMessage(decoding: frame)
        }
    }
}
