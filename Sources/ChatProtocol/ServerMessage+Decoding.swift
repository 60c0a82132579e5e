import JSON

extension ServerMessage {
    /// Decodes a server frame, as a client (`persona chat`, `persona bench chat`, tests) reads it.
    ///
    /// Lenient where the client decoder is strict: unknown members are skipped, so a newer
    /// server may add optional members without breaking older clients. Known members must still
    /// have the right JSON type, and an unknown `type` is an error (`unknown_type`) the client
    /// may choose to ignore.
    public init(decoding bytes: [UInt8]) throws(ProtocolError) {
        let value: JSONValue
        do {
            value = try JSONParser().parse(bytes)
        } catch {
            throw ProtocolError(.invalidJSON, "invalid JSON: \(error.description)")
        }
        guard case .object(let object) = value else {
            throw ProtocolError(.invalidJSON, "a frame must be a JSON object")
        }
        let fields = FrameFields(object)
        let type = try fields.requiredString("type")
        switch type {
        case "welcome":
            let limits = try fields.requiredObject("limits")
            self = .welcome(
                connection: try fields.requiredString("connection"),
                protocolVersion: Int(try fields.requiredInt("protocol")),
                heartbeatMilliseconds: Int(try fields.requiredInt("heartbeat_ms")),
                limits: ConnectionLimits(
                    maxFrameBytes: Int(try limits.requiredInt("max_frame_bytes")),
                    maxSessions: Int(try limits.requiredInt("max_sessions")),
                    maxQueuedMessages: Int(try limits.requiredInt("max_queued_messages"))))
        case "matching":
            self = .matching(
                session: try fields.requiredString("session"),
                timeoutMilliseconds: try fields.requiredInt("timeout_ms"),
                sessionRef: try fields.string("session_ref"))
        case "session_started":
            var start = try Self.decodeStart(fields)
            start.greeting = try fields.string("greeting", allowEmpty: true)
            start.sessionRef = try fields.string("session_ref")
            start.resumeToken = try fields.string("resume_token")
            self = .sessionStarted(start)
        case "session_resumed":
            self = .sessionResumed(try Self.decodeStart(fields), lastSeq: Int(try fields.requiredInt("last_seq")))
        case "session_detached":
            self = .sessionDetached(session: try fields.requiredString("session"))
        case "ack":
            self = .ack(
                session: try fields.requiredString("session"), id: try fields.requiredString("id"),
                seq: Int(try fields.requiredInt("seq")))
        case "reply_start":
            self = .replyStart(
                session: try fields.requiredString("session"), reply: Int(try fields.requiredInt("reply")),
                seq: Int(try fields.requiredInt("seq")), ref: try fields.string("ref"))
        case "token":
            self = .token(
                session: try fields.requiredString("session"), reply: Int(try fields.requiredInt("reply")),
                delta: try fields.requiredString("delta", allowEmpty: true))
        case "reply_end":
            guard let finish = try fields.enumeration("finish", as: FinishReason.self) else {
                throw fields.failure(.missingField, "finish", "'finish' is required")
            }
            self = .replyEnd(
                session: try fields.requiredString("session"), reply: Int(try fields.requiredInt("reply")),
                seq: Int(try fields.requiredInt("seq")), tokens: Int(try fields.requiredInt("tokens")),
                finish: finish)
        case "partner_message":
            self = .partnerMessage(
                session: try fields.requiredString("session"), seq: Int(try fields.requiredInt("seq")),
                text: try fields.requiredString("text", allowEmpty: true))
        case "partner_typing":
            self = .partnerTyping(
                session: try fields.requiredString("session"), on: try fields.requiredBool("on"))
        case "session_ended":
            guard let reason = try fields.enumeration("reason", as: EndReason.self) else {
                throw fields.failure(.missingField, "reason", "'reason' is required")
            }
            self = .sessionEnded(
                session: try fields.requiredString("session"), reason: reason,
                farewell: try fields.string("farewell", allowEmpty: true))
        case "error":
            guard let code = try fields.enumeration("code", as: ErrorCode.self) else {
                throw fields.failure(.missingField, "code", "'code' is required")
            }
            self = .error(
                ErrorReport(
                    code: code, message: try fields.requiredString("message", allowEmpty: true),
                    retryAfterMilliseconds: try fields.int("retry_after_ms"), ref: try fields.string("ref"),
                    session: try fields.string("session")))
        case "pong":
            self = .pong(id: try fields.string("id"))
        default:
            throw fields.failure(
                .unknownType, "type", "unknown message type '\(ClientMessageDecoder.printable(type))'")
        }
    }

    private static func decodeStart(_ fields: FrameFields) throws(ProtocolError) -> SessionStart {
        guard let kind = try fields.enumeration("kind", as: SessionKind.self) else {
            throw fields.failure(.missingField, "kind", "'kind' is required")
        }
        var personality: PersonalityInfo?
        if fields.value("personality") != nil {
            let inner = try fields.requiredObject("personality")
            personality = PersonalityInfo(
                id: try inner.requiredString("id"),
                name: try inner.requiredString("name", allowEmpty: true),
                version: try inner.requiredString("version"))
        }
        return SessionStart(session: try fields.requiredString("session"), kind: kind, personality: personality)
    }

    /// Decodes a server frame from text.
    public init(decoding text: String) throws(ProtocolError) {
        try self.init(decoding: Array(text.utf8))
    }
}
