import JSON
import Personality

/// Builds the body of `POST /chat/completions` (OpenAI Chat Completions, streamed): the system
/// prompt, few-shot examples, the last `history_turns` exchanges, then the user's message.
public enum ChatCompletionRequest {
    /// One earlier exchange of the session.
    public struct Turn: Hashable, Sendable {
        /// What the user said (scrubbed).
        public var user: String
        /// What the bot answered (as the user saw it).
        public var assistant: String
        /// Creates a turn.
        public init(user: String, assistant: String) {
            self.user = user
            self.assistant = assistant
        }
    }

    /// The JSON body.
    public static func body(
        model: String, section: LLMSection, system: String, history: [Turn], message: String, maxTokens: Int?,
        char: String = ""
    ) -> [UInt8] {
        var messages: [JSONValue] = []
        if !system.isEmpty { messages.append(["role": "system", "content": .string(system)]) }
        for example in section.examples {
            // Examples imported from character cards speak of {{char}} and {{user}}.
            messages.append(["role": "user", "content": .string(PromptTemplate.substituteNames(in: example.user, char: char))])
            messages.append(
                ["role": "assistant", "content": .string(PromptTemplate.substituteNames(in: example.assistant, char: char))])
        }
        for turn in history.suffix(section.historyTurns) {
            messages.append(["role": "user", "content": .string(turn.user)])
            messages.append(["role": "assistant", "content": .string(turn.assistant)])
        }
        messages.append(["role": "user", "content": .string(message)])
        var members: [(String, JSONValue)] = [
            ("model", .string(model)), ("messages", .array(messages)), ("stream", true),
            ("stream_options", ["include_usage": true]),
        ]
        if let temperature = section.temperature { members.append(("temperature", .double(temperature))) }
        if let topP = section.topP { members.append(("top_p", .double(topP))) }
        if let maxTokens { members.append(("max_tokens", .integer(Int64(maxTokens)))) }
        if !section.stop.isEmpty { members.append(("stop", .array(section.stop.map { .string($0) }))) }
        return JSONValue.object(JSONObject(members)).serializedBytes()
    }

    /// A rough prompt size in tokens (4 bytes a token, the usual English average), used to
    /// reserve a daily budget before the upstream reports the real count.
    public static func estimatedTokens(of body: [UInt8]) -> Int {
        body.count / 4 + 1
    }
}
