import ChatProtocol
import PersonaRuntime
import PersonaTestSupport
import Testing

@testable import PersonaServer

@Suite("NodeMail codec")
struct NodeMailCodecTests {
    static let samples: [NodeMail] = [
        NodeMail(hub: 0, .paired(session: "s0-1", partner: NodeAddress(node: "node-b", hub: 3, session: "s3-77"))),
        NodeMail(hub: 1, .relay(session: "s1-2", text: "héllo 👋\nwith \"quotes\"")),
        NodeMail(hub: 65_535, .relay(session: "s1-2", text: "")),
        NodeMail(hub: 2, .typing(session: "s2-9", on: true)),
        NodeMail(hub: 2, .typing(session: "s2-9", on: false)),
        NodeMail(hub: 0, .partnerLeft(session: "s0-1", reason: .partnerLeft)),
        NodeMail(hub: 0, .partnerLeft(session: "s0-1", reason: .shutdown)),
        NodeMail(hub: 0, .release(session: "s0-3-12")),
    ]

    @Test("every kind of mail decodes to what was encoded, alone and batched in one payload")
    func roundTrip() throws {
        for mail in Self.samples {
            #expect(try NodeMailCodec.decode(NodeMailCodec.encode([mail])) == [mail])
        }
        #expect(try NodeMailCodec.decode(NodeMailCodec.encode(Self.samples)) == Self.samples)
    }

    @Test("the wire bytes of a typing mail are the documented layout")
    func layout() {
        #expect(
            NodeMailCodec.encode([NodeMail(hub: 258, .typing(session: "ab", on: true))])
                == [1, 3, 1, 2, 0, 2, UInt8(ascii: "a"), UInt8(ascii: "b"), 1])
    }

    @Test("every proper prefix of a mail is refused; a batch cut between mails yields exactly the mails before the cut")
    func everyPrefix() throws {
        for mail in Self.samples {
            let payload = NodeMailCodec.encode([mail])
            for length in 0..<payload.count {
                #expect(throws: NodeMailError.self, "\(mail) prefix \(length)") {
                    try NodeMailCodec.decode(Array(payload[..<length]))
                }
            }
        }
        let batch = NodeMailCodec.encode(Self.samples)
        for length in 1..<batch.count {
            if let mails = try? NodeMailCodec.decode(Array(batch[..<length])) {
                #expect(mails == Array(Self.samples.prefix(mails.count)), "prefix \(length)")
                #expect(NodeMailCodec.encode(mails).count == length)
            }
        }
        #expect(throws: NodeMailError.empty) { try NodeMailCodec.decode([1]) }
    }

    @Test(
        "malformed payloads get their typed error",
        arguments: [
            ([UInt8](), NodeMailError.truncated),
            ([2, 3, 0, 0, 0, 0, 1], .unsupportedVersion(2)),
            ([1, 9, 0, 0, 0, 0], .unknownKind(9)),
            ([1, 3, 0, 0, 0, 0, 2], .invalidFlag(2)),
            ([1, 3, 0, 0, 0, 1, 0xFF, 1], .invalidUTF8),
            ([1, 4, 0, 0, 0, 0, 0, 3, UInt8(ascii: "b"), UInt8(ascii: "y"), UInt8(ascii: "e")], .unknownReason("bye")),
            ([1, 2, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF], .textTooLong(Int(UInt32.max), limit: 1 << 20)),
            ([1, 3, 0, 0, 0, 5, 0], .truncated),
        ] as [([UInt8], NodeMailError)])
    func malformed(payload: [UInt8], error: NodeMailError) {
        #expect(throws: error) { try NodeMailCodec.decode(payload) }
    }

    @Test("relayed text is accepted at maxTextBytes and refused one byte past it")
    func textLimit() throws {
        let limits = NodeMailCodec.Limits(maxTextBytes: 8)
        let atLimit = NodeMailCodec.encode([NodeMail(hub: 0, .relay(session: "s", text: "12345678"))])
        #expect(try NodeMailCodec.decode(atLimit, limits: limits).count == 1)
        let past = NodeMailCodec.encode([NodeMail(hub: 0, .relay(session: "s", text: "123456789"))])
        #expect(throws: NodeMailError.textTooLong(9, limit: 8)) { try NodeMailCodec.decode(past, limits: limits) }
    }

    @Test("a payload holds at most maxMails mails: at the limit it decodes, one more is refused")
    func mailLimit() throws {
        let limits = NodeMailCodec.Limits(maxMails: 4)
        let mail = NodeMail(hub: 0, .typing(session: "s", on: true))
        #expect(try NodeMailCodec.decode(NodeMailCodec.encode(Array(repeating: mail, count: 4)), limits: limits).count == 4)
        #expect(throws: NodeMailError.tooManyMails(limit: 4)) {
            try NodeMailCodec.decode(NodeMailCodec.encode(Array(repeating: mail, count: 5)), limits: limits)
        }
    }

    @Test("seeded fuzz: random and mutated payloads never crash; what decodes re-encodes to the same bytes")
    func fuzz() {
        var random = SeededGenerator(seed: 0x21C0_DE)
        let valid = NodeMailCodec.encode(Self.samples)
        for round in 0..<5_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = valid
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            } else {
                bytes = [1] + (0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...8, using: &random) }
            }
            if let mails = try? NodeMailCodec.decode(bytes) {
                #expect(NodeMailCodec.encode(mails) == bytes, "seed \(random.seed) round \(round): \(bytes)")
            }
        }
    }
}

@Suite("Shared match queue tickets")
struct MatchTicketFieldsTests {
    @Test("a ticket's fields are length-prefixed, so separators inside tags or tenants cannot forge fields")
    func forgeProof() throws {
        let ticket = MatchTicket(
            address: PeerAddress(hub: 1, session: "s1-5"), connection: ConnectionID(7),
            filters: RandomFilters(language: "de", tags: ["a:b", "3:xyz", ""], tenant: "t:1"))
        let encoded = MatchTicketFields.encode(node: "node-a", ticket)
        let fields = try #require(MatchTicketFields.decode("3:999" + encoded))
        #expect(fields == ["999", "node-a", "1", ConnectionID(7).description, "s1-5", "=t:1", "=de", "a:b", "3:xyz", ""])
        #expect(MatchTicketFields.owner("3:999" + encoded) == NodeAddress(node: "node-a", hub: 1, session: "s1-5"))
    }

    @Test("absent tenant and language are empty fields, present ones start with '='")
    func optionals() throws {
        let ticket = MatchTicket(address: PeerAddress(hub: 0, session: "s"), connection: ConnectionID(1), filters: RandomFilters())
        let fields = try #require(MatchTicketFields.decode("1:0" + MatchTicketFields.encode(node: "n", ticket)))
        #expect(fields.count == 7 && fields[5] == "" && fields[6] == "")
    }

    @Test("malformed stored tickets are refused", arguments: ["x:1", "5:abc", "-1:", "3"])
    func malformed(text: String) {
        #expect(MatchTicketFields.decode(text) == nil)
    }
}
