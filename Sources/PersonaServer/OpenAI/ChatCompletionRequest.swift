import JSON

/// A `POST /v1/chat/completions` body, decoded and checked (OpenAI `CreateChatCompletionRequest`),
/// reduced to what a personality can honour.
///
/// Conversation rule: the request's `messages` are the whole conversation. The last message
/// must be the user's, and it is the one answered. Earlier **user** messages are replayed
/// (see `StartRequest.replay`) so the personality's state matches the client's conversation;
/// `system`/`developer` messages are ignored (a personality has its own instructions) and so
/// are `assistant` and `tool` messages (the personality rebuilds its own side by replaying).
/// When more than the replay limit of earlier user turns are sent, the most recent ones are
/// replayed.
///
/// Accepted and ignored: sampling parameters (`temperature`, `top_p`, `seed`, penalties,
/// `logit_bias`), `user`, `metadata`, `tools`/`tool_choice` (personalities call no tools),
/// `store`, `service_tier`, `parallel_tool_calls`, and any member this decoder does not know,
/// so chat UIs that send extras work unchanged. Refused with 400: what would change the answer's
/// shape in a way a personality cannot honour — `n` above 1, non-text content parts, a last
/// message that is not the user's.
struct ChatCompletionRequest: Sendable, Equatable {
    /// The personality id.
    var model: String
    /// Earlier user turns, oldest first.
    var replay: [String]
    /// The user message to answer.
    var message: String
    /// `stream: true`.
    var stream: Bool
    /// `stream_options.include_usage`.
    var includeUsage: Bool
    /// `max_completion_tokens`, else `max_tokens`.
    var maxTokens: Int?
    /// `stop`: up to the configured number of sequences.
    var stop: [String]

    /// Limits the decoder applies.
    struct Limits: Sendable {
        /// Most stop sequences.
        var maxStopSequences = 4
        /// Most earlier user turns replayed (the rest, oldest first, are dropped).
        var maxReplayTurns = 64
        /// Deepest JSON nesting.
        var maxDepth = 16
    }

    /// Decodes `body`, or throws the 400 that names the member at fault.
    static func decode(_ body: [UInt8], limits: Limits = Limits()) throws(APIError) -> ChatCompletionRequest {
        let value: JSONValue
        do {
            value = try JSONParser(
                configuration: JSONParser.Configuration(
                    maxDepth: limits.maxDepth, maxInputBytes: max(body.count, 1), maxStringBytes: max(body.count, 1))
            ).parse(body)
        } catch {
            throw APIError.badRequest("the body is not valid JSON: \(error.description)", code: "invalid_json")
        }
        guard case .object(let object) = value else {
            throw APIError.badRequest("the body must be a JSON object", code: "invalid_json")
        }
        guard case .string(let model)? = object["model"], !model.isEmpty else {
            throw APIError.badRequest("'model' is required and must be a personality id", param: "model")
        }
        let stream = try bool(object, "stream") ?? false
        var includeUsage = false
        if let options = object["stream_options"], options != .null {
            guard stream else {
                throw APIError.badRequest("'stream_options' is only allowed with 'stream': true", param: "stream_options")
            }
            guard case .object(let fields) = options else {
                throw APIError.badRequest("'stream_options' must be an object", param: "stream_options")
            }
            includeUsage = try bool(fields, "include_usage", path: "stream_options.include_usage") ?? false
        }
        if let n = try positiveInt(object, "n"), n > 1 {
            throw APIError.badRequest("'n' above 1 is not supported: a personality gives one reply", param: "n")
        }
        let maxCompletionTokens = try positiveInt(object, "max_completion_tokens")
        let legacyMaxTokens = try positiveInt(object, "max_tokens")
        let maxTokens = maxCompletionTokens ?? legacyMaxTokens
        let stop = try stopSequences(object["stop"], limit: limits.maxStopSequences)
        let (replay, message) = try conversation(object["messages"], maxReplay: limits.maxReplayTurns)
        return ChatCompletionRequest(
            model: model, replay: replay, message: message, stream: stream, includeUsage: includeUsage,
            maxTokens: maxTokens, stop: stop)
    }

    private static func bool(_ object: JSONObject, _ key: String, path: String? = nil) throws(APIError) -> Bool? {
        guard let value = object[key], value != .null else { return nil }
        guard case .bool(let flag) = value else {
            throw APIError.badRequest("'\(path ?? key)' must be true or false", param: path ?? key)
        }
        return flag
    }

    private static func positiveInt(_ object: JSONObject, _ key: String) throws(APIError) -> Int? {
        guard let value = object[key], value != .null else { return nil }
        guard case .integer(let number) = value, number >= 1, number <= Int64(Int32.max) else {
            throw APIError.badRequest("'\(key)' must be a positive integer", param: key)
        }
        return Int(number)
    }

    private static func stopSequences(_ value: JSONValue?, limit: Int) throws(APIError) -> [String] {
        switch value {
        case nil, .null?: return []
        case .string(let text)?: return text.isEmpty ? [] : [text]
        case .array(let items)?:
            guard items.count <= limit else {
                throw APIError.badRequest("'stop' may name at most \(limit) sequences", param: "stop")
            }
            var stops: [String] = []
            for item in items {
                guard case .string(let text) = item else {
                    throw APIError.badRequest("'stop' must be a string or an array of strings", param: "stop")
                }
                if !text.isEmpty { stops.append(text) }
            }
            return stops
        default:
            throw APIError.badRequest("'stop' must be a string or an array of strings", param: "stop")
        }
    }

    private static func conversation(_ value: JSONValue?, maxReplay: Int) throws(APIError) -> ([String], String) {
        guard case .array(let messages)? = value, !messages.isEmpty else {
            throw APIError.badRequest("'messages' must be a non-empty array", param: "messages")
        }
        var userTurns: [String] = []
        var lastRole = ""
        for (index, item) in messages.enumerated() {
            guard case .object(let message) = item else {
                throw APIError.badRequest("'messages[\(index)]' must be an object", param: "messages[\(index)]")
            }
            guard case .string(let role)? = message["role"] else {
                throw APIError.badRequest(
                    "'messages[\(index)].role' is required", param: "messages[\(index)].role")
            }
            switch role {
            case "user":
                userTurns.append(try text(of: message["content"], at: index))
            case "system", "developer", "assistant", "tool", "function":
                break
            default:
                throw APIError.badRequest(
                    "'messages[\(index)].role' must be system, developer, user, assistant or tool",
                    param: "messages[\(index)].role")
            }
            lastRole = role
        }
        guard lastRole == "user", let last = userTurns.popLast() else {
            throw APIError.badRequest(
                "the last message must be the user's: it is the one the personality answers", param: "messages")
        }
        guard !last.isEmpty else {
            throw APIError.badRequest("the last user message has no text", param: "messages")
        }
        return (Array(userTurns.suffix(maxReplay)), last)
    }

    /// A message's text: a string, or the `text` parts of a content array joined by newlines.
    private static func text(of content: JSONValue?, at index: Int) throws(APIError) -> String {
        let param = "messages[\(index)].content"
        switch content {
        case .string(let text)?: return text
        case .array(let parts)?:
            var texts: [String] = []
            for part in parts {
                guard case .object(let fields) = part, case .string(let type)? = fields["type"] else {
                    throw APIError.badRequest("'\(param)' parts must be objects with a 'type'", param: param)
                }
                guard type == "text", case .string(let text)? = fields["text"] else {
                    throw APIError.badRequest(
                        "only text content parts are supported (got '\(type.prefix(40))')", param: param)
                }
                texts.append(text)
            }
            return texts.joined(separator: "\n")
        default:
            throw APIError.badRequest("'\(param)' must be a string or an array of text parts", param: param)
        }
    }
}
