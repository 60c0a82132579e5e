import JSON

/// What one `data:` payload of a streamed chat completion says (OpenAI
/// `CreateChatCompletionStreamResponse`): the content delta of choice 0, its finish reason,
/// the usage of the final usage chunk, or an in-band error.
public struct ChatCompletionChunk: Equatable, Sendable {
    /// Content to append (may be empty: role-only and final chunks carry none).
    public var content: String
    /// `stop`, `length`, … when this chunk ends the choice.
    public var finishReason: String?
    /// Prompt tokens reported by the usage chunk.
    public var promptTokens: Int?
    /// Completion tokens reported by the usage chunk.
    public var completionTokens: Int?
    /// The error message of a `{"error": …}` payload.
    public var error: String?
    /// Whether this is the `[DONE]` sentinel.
    public var isDone: Bool

    /// Why a payload could not be read.
    public struct Malformed: Error, Equatable, Sendable {
        /// What is wrong.
        public var reason: String
    }

    /// Reads one payload. Lenient where real servers differ (missing `id`, `index`,
    /// `finish_reason: ""`, `choices: null` on the usage chunk), strict about JSON itself.
    public init(data: String) throws(Malformed) {
        content = ""
        isDone = false
        if data == "[DONE]" {
            isDone = true
            return
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: data)
        } catch {
            throw Malformed(reason: "not JSON: \(error)")
        }
        guard case .object = value else { throw Malformed(reason: "not a JSON object") }
        if let failure = value["error"], !failure.isNull {
            error = failure["message"]?.stringValue ?? failure.stringValue ?? failure.serialized()
            return
        }
        if let usage = value["usage"], !usage.isNull {
            promptTokens = usage["prompt_tokens"]?.intValue
            completionTokens = usage["completion_tokens"]?.intValue
        }
        if let choice = value["choices"]?[0] {
            if let text = choice["delta"]?["content"]?.stringValue { content = text }
            if let reason = choice["finish_reason"]?.stringValue, !reason.isEmpty { finishReason = reason }
        } else if value["choices"] == nil, value["usage"] == nil {
            throw Malformed(reason: "neither 'choices' nor 'usage'")
        }
    }
}
