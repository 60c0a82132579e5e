import ChatProtocol
import PersonaRuntime
import Testing

@Suite("Bad input")
struct BadInputTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var frame: String
        var code: ErrorCode
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "invalid JSON", frame: "{nope", code: .invalidJSON),
        Case(name: "unknown type", frame: #"{"type":"dance"}"#, code: .unknownType),
        Case(
            name: "missing field", frame: #"{"type":"message","session":"s0-1","id":"m"}"#,
            code: .missingField),
        Case(
            name: "invalid field", frame: #"{"type":"typing","session":"s0-1","on":1}"#, code: .invalidField),
        Case(
            name: "unknown personality", frame: #"{"type":"start","personality":"nobody"}"#,
            code: .unknownPersonality),
        Case(
            name: "unknown session", frame: #"{"type":"message","session":"s0-99","text":"hi","id":"m"}"#,
            code: .unknownSession),
        Case(
            name: "someone else's session",
            frame: #"{"type":"message","session":"s0-1","text":"hi","id":"m"}"#, code: .notYourSession),
        Case(
            name: "over-long message",
            frame:
                #"{"type":"message","session":"s0-2","text":"\#(String(repeating: "x", count: 51))","id":"m"}"#,
            code: .messageTooLarge),
        Case(
            name: "empty text", frame: #"{"type":"message","session":"s0-2","text":"","id":"m"}"#,
            code: .invalidField),
        Case(
            name: "message while matching",
            frame: #"{"type":"message","session":"s0-3","text":"hi","id":"m"}"#, code: .sessionNotActive),
        Case(
            name: "oversized frame",
            frame: #"{"type":"ping","id":"\#(String(repeating: "x", count: 70_000))"}"#,
            code: .messageTooLarge),
    ]

    @Test("every bad input gets its typed error and the connection stays usable", arguments: cases)
    func refused(testCase: Case) {
        let harness = HubHarness()
        let other = harness.open()
        let connection = harness.open()
        _ = harness.startDirect(other, "parrot")  // s0-1 belongs to another connection
        _ = harness.startDirect(connection, "parrot")  // s0-2 is ours
        // s0-3 waits for a partner.
        harness.send(connection, .start(StartRequest(mode: .random(RandomFilters(language: "xx")))))
        _ = harness.take(connection)
        harness.sendText(connection, testCase.frame)
        let frames = harness.take(connection)
        #expect(frames.errors.map(\.code) == [testCase.code], "\(frames)")
        #expect(harness.hub.counters.errors[testCase.code] == 1)
        harness.send(connection, .message(session: "s0-2", text: "count", id: "after"))
        #expect(harness.take(connection).replyEnds.map(\.finish) == [.stop])
        #expect(harness.closed.isEmpty)
    }
}
