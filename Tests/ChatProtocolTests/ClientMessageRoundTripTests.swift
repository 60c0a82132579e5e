import ChatProtocol
import JSON
import PersonaTestSupport
import Testing

@Suite("Client messages")
struct ClientMessageRoundTripTests {
    let decoder = ClientMessageDecoder()

    @Test("every client message decodes to itself after encoding", arguments: ProtocolSamples.client)
    func roundTrip(message: ClientMessage) throws {
        let bytes = message.encoded()
        #expect(try decoder.decode(bytes) == message, "\(String(decoding: bytes, as: UTF8.self))")
    }

    @Test("members may come in any order and optional nulls read as absent")
    func memberOrder() throws {
        #expect(
            try decoder.decode(#"{"id":"m1","text":"hi","session":"s1","type":"message"}"#)
                == .message(session: "s1", text: "hi", id: "m1"))
        #expect(
            try decoder.decode(#"{"type":"start","mode":"random","language":null,"tags":null}"#)
                == .start(StartRequest(mode: .random(RandomFilters()))))
        #expect(
            try decoder.decode(#"{"type":"start","mode":"direct","personality":"x"}"#)
                == .start(StartRequest(mode: .direct(personality: "x"))))
        #expect(
            try decoder.decode(#"{"type":"next","session":"s1"}"#) == .next(session: "s1", want: .partner))
    }

    @Test(
        "every proper prefix of a frame is refused as invalid JSON, never read as another message",
        arguments: ProtocolSamples.client)
    func prefixes(message: ClientMessage) {
        let bytes = message.encoded()
        for split in DripFeed.splits(of: bytes) where split.count == 2 {
            #expect(throws: ProtocolError.self) { try decoder.decode(split[0]) }
            do {
                _ = try decoder.decode(split[0])
            } catch {
                #expect(error.code == .invalidJSON, "prefix \(String(decoding: split[0], as: UTF8.self))")
            }
            // The two pieces joined again give the message back.
            #expect((try? decoder.decode(split[0] + split[1])) == message)
        }
    }
}
