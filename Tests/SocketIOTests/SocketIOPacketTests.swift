import JSON
import PersonaTestSupport
import SocketIO
import Testing

@Suite("Socket.IO packets")
struct SocketIOPacketTests {
    /// The protocol document's examples: text and the packet it stands for.
    static let examples: [(String, SocketIOPacket)] = [
        ("0", SocketIOPacket(.connect)),
        ("0/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}", SocketIOPacket(.connect, namespace: "/admin", data: ["sid": "oSO0OpakMV_3jnilAAAA"])),
        ("4{\"message\":\"Not authorized\"}", SocketIOPacket(.connectError, data: ["message": "Not authorized"])),
        ("2[\"foo\"]", .event("foo")),
        ("2/admin,[\"bar\"]", .event("bar", namespace: "/admin")),
        ("212[\"foo\"]", .event("foo", ackID: 12)),
        ("3/admin,13[\"bar\"]", SocketIOPacket(.ack, namespace: "/admin", ackID: 13, data: ["bar"])),
        ("1", SocketIOPacket(.disconnect)),
        ("1/admin,", SocketIOPacket(.disconnect, namespace: "/admin")),
        ("51-[\"baz\",{\"_placeholder\":true,\"num\":0}]", SocketIOPacket(.binaryEvent, attachments: 1, data: ["baz", ["_placeholder": true, "num": 0]])),
    ]

    @Test("the protocol document's examples decode to their packets and encode back to the same text")
    func examples() throws {
        for (text, packet) in Self.examples {
            #expect(try SocketIOPacket.decode(Array(text.utf8)) == packet, "\(text)")
            #expect(String(decoding: packet.encoded, as: UTF8.self) == text)
        }
    }

    @Test("a namespace without its trailing comma is still read (as clients send `40/custom`)")
    func namespaceWithoutComma() throws {
        #expect(try SocketIOPacket.decode(Array("0/custom".utf8)) == SocketIOPacket(.connect, namespace: "/custom"))
    }

    @Test("event names and arguments are read from the payload array")
    func eventAccessors() throws {
        let packet = try SocketIOPacket.decode(Array("2456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]".utf8))
        #expect(packet.eventName == "message-with-ack")
        #expect(packet.ackID == 456)
        #expect(packet.arguments == [1, "2", ["3": [false]]])
    }

    @Test("packets whose shape breaks the protocol are refused", arguments: [
        "", "7", "x", "2", "2[]", "2[1]", "2{\"a\":1}", "0[1]", "1{}", "3[\"x\"]", "312", "4", "4[1]",
        "5[\"x\"]", "50-[\"x\"]", "511-[\"x\"]", "2[\"x\"", "21234567890123456[\"x\"]", "abc",
    ])
    func refused(text: String) {
        #expect(throws: SocketIOPacketError.self) { try SocketIOPacket.decode(Array(text.utf8)) }
    }

    @Test("a namespace one byte over the limit is refused, at the limit accepted")
    func namespaceLimit() throws {
        let limits = SocketIOPacket.DecodingLimits(maxNamespaceBytes: 8)
        #expect(try SocketIOPacket.decode(Array("0/abcdefg,".utf8), limits: limits).namespace == "/abcdefg")
        #expect(throws: SocketIOPacketError.self) { try SocketIOPacket.decode(Array("0/abcdefgh,".utf8), limits: limits) }
    }

    @Test("random packets never crash the decoder, and whatever decodes re-encodes to the same packet")
    func fuzz() throws {
        var generator = SeededGenerator(seed: 0x5_0C7E7)
        let pieces = ["0", "1", "2", "3", "4", "5", "6", "/", "/chat,", ",", "12", "-", "[", "]", "\"ev\"", "{", "}", ":", "1-", "null", ","]
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0..<8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            guard let packet = try? SocketIOPacket.decode(Array(text.utf8)) else { continue }
            #expect(try SocketIOPacket.decode(packet.encoded) == packet, "seed \(generator.seed) text \(text)")
        }
    }

    @Test("decoding is a function of the whole packet: every prefix either fails or decodes to something that re-encodes")
    func prefixes() {
        for (text, _) in Self.examples {
            let bytes = Array(text.utf8)
            for end in 0...bytes.count {
                if let packet = try? SocketIOPacket.decode(bytes[..<end]) {
                    #expect((try? SocketIOPacket.decode(packet.encoded)) == packet, "\(text) cut at \(end)")
                }
            }
        }
    }
}
