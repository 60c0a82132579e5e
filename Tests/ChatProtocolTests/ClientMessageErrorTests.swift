import ChatProtocol
import Testing

@Suite("Client message errors")
struct ClientMessageErrorTests {
    struct Case: CustomStringConvertible, Sendable {
        var frame: String
        var code: ErrorCode
        var field: String?
        var ref: String? = nil
        var session: String? = nil
        var description: String { frame }
    }

    static let cases: [Case] = [
        Case(frame: "", code: .invalidJSON, field: nil),
        Case(frame: "{", code: .invalidJSON, field: nil),
        Case(frame: "not json", code: .invalidJSON, field: nil),
        Case(frame: #"{"type":"ping",}"#, code: .invalidJSON, field: nil),
        Case(frame: #"{"type":"ping","type":"end"}"#, code: .invalidJSON, field: nil),
        Case(frame: "[1,2]", code: .invalidJSON, field: nil),
        Case(frame: #""ping""#, code: .invalidJSON, field: nil),
        Case(frame: "{}", code: .missingField, field: "type"),
        Case(frame: #"{"type":7}"#, code: .invalidField, field: "type"),
        Case(frame: #"{"type":""}"#, code: .invalidField, field: "type"),
        Case(frame: #"{"type":"shout","session":"s1"}"#, code: .unknownType, field: "type", session: "s1"),
        Case(
            frame: #"{"type":"message","session":"s1","id":"m1"}"#, code: .missingField, field: "text",
            ref: "m1", session: "s1"),
        Case(
            frame: #"{"type":"message","text":"hi","id":"m1"}"#, code: .missingField, field: "session",
            ref: "m1"),
        Case(
            frame: #"{"type":"message","session":"s1","text":"hi"}"#, code: .missingField, field: "id",
            session: "s1"),
        Case(
            frame: #"{"type":"message","session":"s1","text":5,"id":"m1"}"#, code: .invalidField,
            field: "text", ref: "m1", session: "s1"),
        Case(
            frame: #"{"type":"message","session":"s1","text":"","id":"m1"}"#, code: .invalidField,
            field: "text", ref: "m1", session: "s1"),
        Case(
            frame: #"{"type":"message","session":3,"text":"hi","id":"m1"}"#, code: .invalidField,
            field: "session", ref: "m1"),
        Case(
            frame: #"{"type":"message","session":"s1","text":"hi","id":1}"#, code: .invalidField, field: "id",
            session: "s1"),
        Case(
            frame: #"{"type":"message","sesion":"s1","text":"hi","id":"m1"}"#, code: .invalidField,
            field: "sesion", ref: "m1"),
        Case(frame: #"{"type":"typing","session":"s1"}"#, code: .missingField, field: "on", session: "s1"),
        Case(
            frame: #"{"type":"typing","session":"s1","on":"yes"}"#, code: .invalidField, field: "on",
            session: "s1"),
        Case(frame: #"{"type":"cancel"}"#, code: .missingField, field: "session"),
        Case(frame: #"{"type":"end","session":""}"#, code: .invalidField, field: "session"),
        Case(
            frame: #"{"type":"next","session":"s1","want":"robot"}"#, code: .invalidField, field: "want",
            session: "s1"),
        Case(frame: #"{"type":"ping","id":false}"#, code: .invalidField, field: "id"),
        Case(frame: #"{"type":"start"}"#, code: .missingField, field: "personality"),
        Case(frame: #"{"type":"start","mode":"direct"}"#, code: .missingField, field: "personality"),
        Case(frame: #"{"type":"start","mode":"sideways"}"#, code: .invalidField, field: "mode"),
        Case(
            frame: #"{"type":"start","personality":"x","language":"en"}"#, code: .invalidField,
            field: "language"),
        Case(
            frame: #"{"type":"start","mode":"random","personality":"x"}"#, code: .invalidField,
            field: "personality"),
        Case(frame: #"{"type":"start","mode":"random","tags":"fun"}"#, code: .invalidField, field: "tags"),
        Case(
            frame: #"{"type":"start","mode":"random","tags":["fun",""]}"#, code: .invalidField,
            field: "tags[1]"),
        Case(
            frame: #"{"type":"start","mode":"random","tags":["fun",3]}"#, code: .invalidField,
            field: "tags[1]"),
        Case(frame: #"{"type":"start","personality":{"id":"x"}}"#, code: .invalidField, field: "personality"),
        Case(frame: #"{"type":"start","personality":"x","extra":1}"#, code: .invalidField, field: "extra"),
    ]

    @Test("every bad frame gets its typed error naming the field", arguments: cases)
    func refused(testCase: Case) {
        do {
            let message = try ClientMessageDecoder().decode(testCase.frame)
            Issue.record("decoded \(message) from \(testCase.frame)")
        } catch {
            #expect(error.code == testCase.code)
            #expect(error.field == testCase.field)
            #expect(error.ref == testCase.ref)
            #expect(error.session == testCase.session)
            #expect(!error.message.isEmpty)
            // The error renders as a protocol `error` frame carrying the same correlation.
            guard case .error(let report) = error.serverMessage else {
                Issue.record("not an error frame")
                return
            }
            #expect(
                report.code == testCase.code && report.ref == testCase.ref
                    && report.session == testCase.session)
        }
    }

    @Test("an unknown type is echoed shortened and without control characters")
    func echoIsSafe() {
        let long = String(repeating: "x", count: 100) + #"\u0007"#
        do {
            _ = try ClientMessageDecoder().decode(#"{"type":"\#(long)"}"#)
        } catch {
            #expect(error.message.contains("…"))
            #expect(!error.message.unicodeScalars.contains { $0.value < 0x20 })
        }
    }
}
