import ChatProtocol
import JSON
import Testing

@Suite("Server messages")
struct ServerMessageRoundTripTests {
    @Test("every server message decodes to itself after encoding", arguments: ProtocolSamples.server)
    func roundTrip(message: ServerMessage) throws {
        let bytes = message.encoded()
        #expect(try ServerMessage(decoding: bytes) == message, "\(String(decoding: bytes, as: UTF8.self))")
    }

    @Test("the token fast path writes exactly what JSONWriter writes", arguments: ProtocolSamples.server)
    func tokenFastPath(message: ServerMessage) {
        var writer = JSONWriter()
        message.write(to: &writer)
        #expect(message.encoded() == writer.bytes)
    }

    @Test("frames start with their type and name their session")
    func typeFirst() throws {
        for message in ProtocolSamples.server {
            let text = String(decoding: message.encoded(), as: UTF8.self)
            #expect(text.hasPrefix("{\"type\":\"\(message.type)\""), "\(text)")
            let value = try JSONValue(parsing: text)
            #expect(value["session"]?.stringValue == message.session, "\(text)")
        }
    }

    @Test("a token frame reads as documented")
    func tokenGolden() {
        let frame = ServerMessage.token(session: "s0-7", reply: 3, delta: "Ahoy \"matey\"\n").encoded()
        #expect(
            String(decoding: frame, as: UTF8.self)
                == #"{"type":"token","session":"s0-7","reply":3,"delta":"Ahoy \"matey\"\n"}"#)
    }

    @Test("clients skip unknown members but refuse unknown types")
    func lenientClientSide() throws {
        #expect(try ServerMessage(decoding: #"{"type":"pong","id":"x","extra":[1,2]}"#) == .pong(id: "x"))
        #expect(throws: ProtocolError.self) { try ServerMessage(decoding: #"{"type":"telepathy"}"#) }
        #expect(throws: ProtocolError.self) {
            try ServerMessage(decoding: #"{"type":"ack","session":"s","id":"m","seq":"one"}"#)
        }
    }
}
