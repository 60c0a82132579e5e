import JSON
import Personality

/// The OpenAI Chat Completions wire format (openai-openapi `openapi.yaml`: `Model`,
/// `ListModelsResponse`, `CreateChatCompletionResponse`, `CreateChatCompletionStreamResponse`),
/// written with ``JSONWriter``. Pure: values in, bytes out.
enum OpenAIWire {
    /// One `Model` object: a personality as a model (`owned_by` = its tenant, or `persona`).
    static func writeModel(_ personality: Personality, created: Int64, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("id", personality.id)
        writer.member("object", "model")
        writer.member("created", created)
        writer.member("owned_by", personality.tenant ?? "persona")
        writer.endObject()
    }

    /// `GET /v1/models`: `{"object":"list","data":[Model…]}`.
    static func modelList(_ personalities: [Personality], created: Int64) -> [UInt8] {
        var writer = JSONWriter(capacity: 64 + personalities.count * 96)
        writer.beginObject()
        writer.member("object", "list")
        writer.key("data")
        writer.beginArray()
        for personality in personalities { writeModel(personality, created: created, to: &writer) }
        writer.endArray()
        writer.endObject()
        return writer.finish()
    }

    /// `GET /v1/models/{id}`.
    static func model(_ personality: Personality, created: Int64) -> [UInt8] {
        var writer = JSONWriter(capacity: 128)
        writeModel(personality, created: created, to: &writer)
        return writer.finish()
    }

    /// Token counts of one completion.
    struct Usage: Sendable, Equatable {
        var prompt: Int
        var completion: Int

        func write(to writer: inout JSONWriter) {
            writer.beginObject()
            writer.member("prompt_tokens", prompt)
            writer.member("completion_tokens", completion)
            writer.member("total_tokens", prompt + completion)
            writer.endObject()
        }
    }

    /// What every chunk and completion of one request shares.
    struct Identity: Sendable, Equatable {
        /// `chatcmpl-…`, the same on every chunk.
        var id: String
        /// Unix seconds, the same on every chunk.
        var created: Int64
        /// The personality id.
        var model: String
    }

    /// A non-streaming `chat.completion`.
    static func completion(_ identity: Identity, content: String, finishReason: String, usage: Usage) -> [UInt8] {
        var writer = JSONWriter(capacity: 256 + content.utf8.count)
        begin(identity, object: "chat.completion", to: &writer)
        writer.key("choices")
        writer.beginArray()
        writer.beginObject()
        writer.member("index", 0)
        writer.key("message")
        writer.beginObject()
        writer.member("role", "assistant")
        writer.member("content", content)
        writer.nullMember("refusal")
        writer.endObject()
        writer.nullMember("logprobs")
        writer.member("finish_reason", finishReason)
        writer.endObject()
        writer.endArray()
        writer.key("usage")
        usage.write(to: &writer)
        writer.endObject()
        return writer.finish()
    }

    /// What a stream chunk's single choice carries.
    enum Delta: Sendable, Equatable {
        /// The first chunk: `{"role":"assistant","content":""}`.
        case role
        /// A piece of the reply.
        case content(String)
        /// The last choice chunk: an empty delta with the finish reason.
        case finish(String)
    }

    /// One `chat.completion.chunk` with one choice; `usage` is `null` when the client asked for
    /// usage (it comes in its own chunk) and absent otherwise.
    static func chunk(_ identity: Identity, _ delta: Delta, usageNull: Bool) -> [UInt8] {
        var writer = JSONWriter(capacity: 192)
        beginChunk(identity, to: &writer)
        writer.key("choices")
        writer.beginArray()
        writer.beginObject()
        writer.member("index", 0)
        writer.key("delta")
        writer.beginObject()
        switch delta {
        case .role:
            writer.member("role", "assistant")
            writer.member("content", "")
        case .content(let text):
            writer.member("content", text)
        case .finish:
            break
        }
        writer.endObject()
        writer.nullMember("logprobs")
        if case .finish(let reason) = delta {
            writer.member("finish_reason", reason)
        } else {
            writer.nullMember("finish_reason")
        }
        writer.endObject()
        writer.endArray()
        if usageNull { writer.nullMember("usage") }
        writer.endObject()
        return writer.finish()
    }

    /// A content chunk's bytes around its delta text, built once per completion, so each token
    /// costs one buffer: the constant prefix, the escaped text, the constant suffix. The output
    /// is byte for byte what ``chunk(_:_:usageNull:)`` writes for `.content`; the role and
    /// finish chunks of the same completion are cut from the same bytes (byte for byte what
    /// it writes for `.role` and `.finish`).
    final class ContentChunkTemplate: Sendable {
        /// Up to and including `"delta":{"content":`.
        let prefix: [UInt8]
        /// From the `}` that closes the delta to the end of the chunk.
        let suffix: [UInt8]
        /// `prefix` without its `"content":` (where the role chunk's and finish chunk's deltas go).
        private let deltaOpen: ArraySlice<UInt8>
        /// `suffix` cut around its `finish_reason` value (`null` in content chunks).
        private let finishHead: ArraySlice<UInt8>
        private let finishTail: ArraySlice<UInt8>

        init(_ identity: Identity, usageNull: Bool) {
            let marker = "\u{1}"
            let whole = OpenAIWire.chunk(identity, .content(marker), usageNull: usageNull)
            // The marker is a control character, so it is written escaped (`\u0001`) and is the
            // only such sequence in the chunk (ids and model names are escaped the same way, but
            // the marker's quotes delimit it: it is found with its quotes).
            let needle = Array(#""\u0001""#.utf8)
            // Searched from the end (the delta is the chunk's last string but for the constant
            // members after it), so the search stops within the suffix's few dozen bytes.
            var cut = 0
            for index in stride(from: whole.count - needle.count, through: 0, by: -1)
            where whole[index] == needle[0] && whole[index..<(index + needle.count)].elementsEqual(needle) {
                cut = index
                break
            }
            let head = Array(whole[..<cut])
            let tail = Array(whole[(cut + needle.count)...])
            prefix = head
            suffix = tail
            deltaOpen = head.dropLast(Self.contentKey.count)
            let reason = Self.finishReasonNull
            let at = stride(from: tail.count - reason.count, through: 0, by: -1).first {
                tail[$0..<($0 + reason.count)].elementsEqual(reason)
            }
            // Both are always found (the chunk is written above); `nil` would only mean the
            // writer's shape changed, which the wire tests compare byte for byte.
            let valueAt = (at ?? 0) + reason.count - 4
            finishHead = tail[..<valueAt]
            finishTail = tail[(valueAt + 4)...]
        }

        private static let contentKey = Array(#""content":"#.utf8)
        private static let finishReasonNull = Array(#""finish_reason":null"#.utf8)
        private static let roleDelta = Array(#""role":"assistant","content":"""#.utf8)

        /// The completion's first event: `delta` `{"role":"assistant","content":""}`.
        func appendRoleEvent(to bytes: inout [UInt8]) {
            bytes.append(contentsOf: "data: ".utf8)
            bytes.append(contentsOf: deltaOpen)
            bytes.append(contentsOf: Self.roleDelta)
            bytes.append(contentsOf: suffix)
            bytes.append(contentsOf: [0x0A, 0x0A])
        }

        /// The last choice event: an empty `delta` and `finish_reason` = `reason`.
        func appendFinishEvent(_ reason: String, to bytes: inout [UInt8]) {
            bytes.append(contentsOf: "data: ".utf8)
            bytes.append(contentsOf: deltaOpen)
            bytes.append(contentsOf: finishHead)
            JSONBytes.appendString(reason, to: &bytes)
            bytes.append(contentsOf: finishTail)
            bytes.append(contentsOf: [0x0A, 0x0A])
        }

        /// `data: <chunk>` and the blank line, for `text`.
        func event(_ text: String) -> [UInt8] {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(prefix.count + suffix.count + text.utf8.count + 12)
            appendEvent(text, to: &bytes)
            return bytes
        }

        /// ``event(_:)`` appended to `bytes` (no array of its own per token).
        func appendEvent(_ text: String, to bytes: inout [UInt8]) {
            bytes.append(contentsOf: "data: ".utf8)
            bytes.append(contentsOf: prefix)
            JSONBytes.appendString(text, to: &bytes)
            bytes.append(contentsOf: suffix)
            bytes.append(contentsOf: [0x0A, 0x0A])
        }
    }

    /// The `include_usage` chunk: `choices` is an empty array, `usage` is filled.
    static func usageChunk(_ identity: Identity, usage: Usage) -> [UInt8] {
        var writer = JSONWriter(capacity: 192)
        beginChunk(identity, to: &writer)
        writer.key("choices")
        writer.beginArray()
        writer.endArray()
        writer.key("usage")
        usage.write(to: &writer)
        writer.endObject()
        return writer.finish()
    }

    private static func beginChunk(_ identity: Identity, to writer: inout JSONWriter) {
        begin(identity, object: "chat.completion.chunk", to: &writer)
    }

    /// Opens a response object with the members every completion and chunk start with.
    private static func begin(_ identity: Identity, object: String, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("id", identity.id)
        writer.member("object", object)
        writer.member("created", identity.created)
        writer.member("model", identity.model)
    }
}
