import JSON

extension ServerMessage {
    /// The frame's JSON text, compact, `type` first.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        encode(into: &bytes)
        return bytes
    }

    /// Appends the frame's JSON text to `bytes` (reusing its capacity on the hot path).
    ///
    /// `token` frames — one per streamed token, by far the most frequent — skip ``JSONWriter``
    /// and are written straight into the buffer (see ``appendTokenFrame(session:reply:delta:to:)``).
    public func encode(into bytes: inout [UInt8]) {
        if case .token(let session, let reply, let delta) = self {
            Self.appendTokenFrame(session: session, reply: reply, delta: delta, to: &bytes)
            return
        }
        var writer = JSONWriter(capacity: 128)
        write(to: &writer)
        bytes.append(contentsOf: writer.bytes)
    }

    /// Appends `{"type":"token","session":…,"reply":…,"delta":…}` to `bytes`: the same text
    /// ``JSONWriter`` would write, without its bookkeeping.
    public static func appendTokenFrame(session: String, reply: Int, delta: String, to bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + 48 + session.utf8.count + delta.utf8.count)
        appendStatic("{\"type\":\"token\",\"session\":", to: &bytes)
        JSONBytes.appendString(session, to: &bytes)
        appendStatic(",\"reply\":", to: &bytes)
        JSONBytes.appendInteger(Int64(reply), to: &bytes)
        appendStatic(",\"delta\":", to: &bytes)
        JSONBytes.appendString(delta, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    private static func appendStatic(_ text: StaticString, to bytes: inout [UInt8]) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Writes the frame as one JSON object at the writer's position.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("type")
        writer.string(type)
        switch self {
        case .welcome(let connection, let version, let heartbeat, let limits):
            writer.key("connection")
            writer.string(connection)
            writer.key("protocol")
            writer.int(version)
            writer.key("heartbeat_ms")
            writer.int(heartbeat)
            writer.key("limits")
            writer.beginObject()
            writer.key("max_frame_bytes")
            writer.int(limits.maxFrameBytes)
            writer.key("max_sessions")
            writer.int(limits.maxSessions)
            writer.key("max_queued_messages")
            writer.int(limits.maxQueuedMessages)
            writer.endObject()
        case .matching(let session, let timeout, let sessionRef):
            writer.key("session")
            writer.string(session)
            writer.key("timeout_ms")
            writer.int(timeout)
            optional("session_ref", sessionRef, &writer)
        case .sessionStarted(let start):
            writeStart(start, &writer)
            optional("greeting", start.greeting, &writer)
            optional("session_ref", start.sessionRef, &writer)
            optional("resume_token", start.resumeToken, &writer)
        case .sessionResumed(let start, let lastSeq):
            writeStart(start, &writer)
            writer.key("last_seq")
            writer.int(lastSeq)
        case .sessionDetached(let session):
            writer.key("session")
            writer.string(session)
        case .ack(let session, let id, let seq):
            writer.key("session")
            writer.string(session)
            writer.key("id")
            writer.string(id)
            writer.key("seq")
            writer.int(seq)
        case .replyStart(let session, let reply, let seq, let ref):
            writer.key("session")
            writer.string(session)
            writer.key("reply")
            writer.int(reply)
            writer.key("seq")
            writer.int(seq)
            optional("ref", ref, &writer)
        case .token(let session, let reply, let delta):
            writer.key("session")
            writer.string(session)
            writer.key("reply")
            writer.int(reply)
            writer.key("delta")
            writer.string(delta)
        case .replyEnd(let session, let reply, let seq, let tokens, let finish):
            writer.key("session")
            writer.string(session)
            writer.key("reply")
            writer.int(reply)
            writer.key("seq")
            writer.int(seq)
            writer.key("tokens")
            writer.int(tokens)
            writer.key("finish")
            writer.string(finish.rawValue)
        case .partnerMessage(let session, let seq, let text):
            writer.key("session")
            writer.string(session)
            writer.key("seq")
            writer.int(seq)
            writer.key("text")
            writer.string(text)
        case .partnerTyping(let session, let on):
            writer.key("session")
            writer.string(session)
            writer.key("on")
            writer.bool(on)
        case .sessionEnded(let session, let reason, let farewell):
            writer.key("session")
            writer.string(session)
            writer.key("reason")
            writer.string(reason.rawValue)
            optional("farewell", farewell, &writer)
        case .error(let report):
            writer.key("code")
            writer.string(report.code.rawValue)
            writer.key("message")
            writer.string(report.message)
            if let retry = report.retryAfterMilliseconds {
                writer.key("retry_after_ms")
                writer.int(retry)
            }
            optional("ref", report.ref, &writer)
            optional("session", report.session, &writer)
        case .pong(let id):
            optional("id", id, &writer)
        }
        writer.endObject()
    }

    private func writeStart(_ start: SessionStart, _ writer: inout JSONWriter) {
        writer.key("session")
        writer.string(start.session)
        writer.key("kind")
        writer.string(start.kind.rawValue)
        if let personality = start.personality {
            writer.key("personality")
            writer.beginObject()
            writer.key("id")
            writer.string(personality.id)
            writer.key("name")
            writer.string(personality.name)
            writer.key("version")
            writer.string(personality.version)
            writer.endObject()
        }
    }

    private func optional(_ key: String, _ value: String?, _ writer: inout JSONWriter) {
        guard let value else { return }
        writer.key(key)
        writer.string(value)
    }
}
