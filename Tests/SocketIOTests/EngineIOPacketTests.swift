import PersonaTestSupport
import SocketIO
import Testing

@Suite("Engine.IO packets and polling payloads")
struct EngineIOPacketTests {
    @Test("each packet type digit decodes to its type and re-encodes to the same text", arguments: EngineIOPacketType.allCases)
    func typeDigits(type: EngineIOPacketType) throws {
        let text = Array("\(type.rawValue)probe".utf8)
        let packet = try EngineIOPacket.decode(text: text)
        #expect(packet.type == type)
        #expect(packet.data == .text(Array("probe".utf8)))
        #expect(packet.encoded == text)
    }

    @Test("an empty packet and an unknown type digit are refused as bad packets", arguments: ["", "7", "a", "/x", "\u{1e}"])
    func badPackets(text: String) {
        #expect(throws: EngineIOError.self) { try EngineIOPacket.decode(text: Array(text.utf8)) }
    }

    @Test("a payload joins packets with the record separator and binary as b + base64")
    func payloadEncoding() {
        let payload = EngineIOPayload.encode([
            .message("hello"), EngineIOPacket(.ping), EngineIOPacket(.message, .binary([1, 2, 3, 4])),
        ])
        #expect(payload == Array("4hello\u{1e}2\u{1e}bAQIDBA==".utf8))
    }

    @Test("the protocol's example payload decodes into its three packets")
    func payloadDecoding() throws {
        let packets = try EngineIOPayload.decode(Array("4hello\u{1e}2\u{1e}bAQIDBA==".utf8), maxPayload: 100)
        #expect(packets == [.message("hello"), EngineIOPacket(.ping), EngineIOPacket(.message, .binary([1, 2, 3, 4]))])
    }

    @Test("multi-byte UTF-8 is framed by bytes, not characters")
    func utf8Framing() throws {
        let packets = try EngineIOPayload.decode(Array("4€€\u{1e}4й".utf8), maxPayload: 100)
        #expect(packets == [.message("€€"), .message("й")])
    }

    @Test("an empty payload, an empty record and invalid base64 are refused", arguments: ["", "4a\u{1e}", "\u{1e}4a", "b!!!!", "4a\u{1e}9"])
    func badPayloads(text: String) {
        #expect(throws: EngineIOError.self) { try EngineIOPayload.decode(Array(text.utf8), maxPayload: 100) }
    }

    @Test("a payload of exactly maxPayload bytes is accepted and one more byte is refused as too large")
    func payloadLimit() throws {
        let exact = Array("4".utf8) + Array(repeating: UInt8(ascii: "x"), count: 99)
        #expect(try EngineIOPayload.decode(exact, maxPayload: 100).count == 1)
        #expect(throws: EngineIOError.payloadTooLarge(limit: 100)) {
            try EngineIOPayload.decode(exact + [UInt8(ascii: "x")], maxPayload: 100)
        }
    }

    @Test("the payload decoder gives the same packets whether fed whole, byte by byte or split anywhere")
    func dripFeed() throws {
        let body = Array("4hello\u{1e}2\u{1e}bAQIDBA==\u{1e}42[\"x\",{\"a\":\"€\"}]\u{1e}3probe".utf8)
        let expected = try EngineIOPayload.decode(body, maxPayload: 1_000)
        for chunks in DripFeed.splits(of: body) {
            var decoder = EngineIOPayloadDecoder(maxPayload: 1_000)
            var packets: [EngineIOPacket] = []
            for chunk in chunks { packets += try decoder.append(chunk) }
            packets += try decoder.finish()
            #expect(packets == expected)
        }
    }

    @Test("random payloads never crash the decoder, and encoded packets decode to themselves")
    func fuzz() throws {
        var generator = SeededGenerator(seed: 0x51_0E10)
        let alphabet = Array("0123456b4\u{1e}probe€AQ==/,[]\"{}".utf8)
        for _ in 0..<3_000 {
            let length = Int.random(in: 0..<40, using: &generator)
            let junk = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            _ = try? EngineIOPayload.decode(junk, maxPayload: 64)
            // Round trip of well-formed packets (text never contains the separator).
            let packets = (0..<Int.random(in: 1..<5, using: &generator)).map { _ -> EngineIOPacket in
                if Bool.random(using: &generator) {
                    let bytes = (0..<Int.random(in: 0..<8, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                    return EngineIOPacket(.message, .binary(bytes))
                }
                let text = (0..<Int.random(in: 0..<8, using: &generator)).map { _ in
                    alphabet.filter { $0 != EngineIOPayload.separator }.randomElement(using: &generator)!
                }
                return EngineIOPacket(EngineIOPacketType.allCases.randomElement(using: &generator)!, .text(text))
            }
            let encoded = EngineIOPayload.encode(packets)
            let decoded = try EngineIOPayload.decode(encoded, maxPayload: 10_000)
            #expect(decoded == packets, "seed \(generator.seed) payload \(encoded)")
        }
    }
}
