import ChatProtocol
import Testing

@Suite("Client message limits")
struct ClientMessageLimitTests {
    let configuration = ClientMessageDecoder.Configuration(
        maxFrameBytes: 200, maxIdentifierBytes: 8, maxTags: 3, maxTagBytes: 5, maxDepth: 4, maxReplayTurns: 2)

    func code(_ frame: String) -> ErrorCode? {
        do {
            _ = try ClientMessageDecoder(configuration: configuration).decode(frame)
            return nil
        } catch {
            return error.code
        }
    }

    @Test("max_frame_bytes: exactly the limit decodes, one byte more is message_too_large")
    func frameBytes() {
        let prefix = #"{"type":"message","session":"s1","id":"m1","text":""#
        let fill = 200 - prefix.utf8.count - 2
        #expect(code(prefix + String(repeating: "a", count: fill) + "\"}") == nil)
        #expect(code(prefix + String(repeating: "a", count: fill + 1) + "\"}") == .messageTooLarge)
    }

    @Test("max_identifier_bytes: eight bytes pass, nine are refused")
    func identifiers() {
        #expect(code(#"{"type":"end","session":"12345678"}"#) == nil)
        #expect(code(#"{"type":"end","session":"123456789"}"#) == .invalidField)
        #expect(code(#"{"type":"start","personality":"123456789"}"#) == .invalidField)
    }

    @Test("max_replay_turns: two replayed turns pass, three are refused; random sessions replay nothing")
    func replayTurns() {
        #expect(code(#"{"type":"start","personality":"p","replay":["a","b"]}"#) == nil)
        #expect(code(#"{"type":"start","personality":"p","replay":["a","b","c"]}"#) == .invalidField)
        #expect(code(#"{"type":"start","mode":"random","replay":["a"]}"#) == .invalidField)
        #expect(code(#"{"type":"start","personality":"p","max_tokens":0}"#) == .invalidField)
        #expect(code(#"{"type":"start","personality":"p","max_tokens":1}"#) == nil)
    }

    @Test("max_tags and max_tag_bytes: at the limit pass, one more is refused")
    func tags() {
        #expect(code(#"{"type":"start","mode":"random","tags":["a","b","c"]}"#) == nil)
        #expect(code(#"{"type":"start","mode":"random","tags":["a","b","c","d"]}"#) == .invalidField)
        #expect(code(#"{"type":"start","mode":"random","tags":["abcde"]}"#) == nil)
        #expect(code(#"{"type":"start","mode":"random","tags":["abcdef"]}"#) == .invalidField)
    }

    @Test("max_depth: frames nest at most four levels")
    func depth() {
        #expect(code(#"{"type":"ping","id":"x"}"#) == nil)
        #expect(code(#"{"type":"start","mode":"random","tags":[[[["a"]]]]}"#) == .invalidJSON)
    }
}
