import JSON

extension ClientMessage {
    /// The frame's JSON text, compact, `type` first — what a client sends.
    public func encoded() -> [UInt8] {
        var writer = JSONWriter(capacity: 128)
        write(to: &writer)
        return writer.finish()
    }

    /// The frame's JSON text as a `String`.
    public var encodedText: String { String(decoding: encoded(), as: UTF8.self) }

    /// Writes the frame as one JSON object at the writer's position.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("type")
        writer.string(type)
        switch self {
        case .start(let request):
            switch request.mode {
            case .direct(let personality):
                writer.key("personality")
                writer.string(personality)
            case .random(let filters):
                writer.key("mode")
                writer.string("random")
                if let language = filters.language {
                    writer.key("language")
                    writer.string(language)
                }
                if !filters.tags.isEmpty {
                    writer.key("tags")
                    writer.beginArray()
                    for tag in filters.tags { writer.string(tag) }
                    writer.endArray()
                }
                if let tenant = filters.tenant {
                    writer.key("tenant")
                    writer.string(tenant)
                }
            }
            if let sessionRef = request.sessionRef {
                writer.key("session_ref")
                writer.string(sessionRef)
            }
            if let maxTokens = request.maxReplyTokens {
                writer.key("max_tokens")
                writer.int(maxTokens)
            }
            if !request.replay.isEmpty {
                writer.key("replay")
                writer.beginArray()
                for turn in request.replay { writer.string(turn) }
                writer.endArray()
            }
        case .message(let session, let text, let id):
            writer.key("session")
            writer.string(session)
            writer.key("text")
            writer.string(text)
            writer.key("id")
            writer.string(id)
        case .typing(let session, let on):
            writer.key("session")
            writer.string(session)
            writer.key("on")
            writer.bool(on)
        case .cancel(let session), .end(let session):
            writer.key("session")
            writer.string(session)
        case .next(let session, let want):
            writer.key("session")
            writer.string(session)
            writer.key("want")
            writer.string(want.rawValue)
        case .resume(let session, let token, let lastSeq):
            writer.key("session")
            writer.string(session)
            writer.key("resume_token")
            writer.string(token)
            writer.key("last_seq")
            writer.int(lastSeq)
        case .ping(let id):
            if let id {
                writer.key("id")
                writer.string(id)
            }
        }
        writer.endObject()
    }
}
