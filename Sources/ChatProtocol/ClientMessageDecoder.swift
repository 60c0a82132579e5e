import JSON

/// Decodes client frames strictly: RFC 8259 JSON (via ``JSONParser``), an object with a known
/// `type`, exactly the members that type defines, each of the right JSON type and within the
/// limits below. Every refusal is a ``ProtocolError`` naming the member at fault, carrying the
/// message id (`ref`) and `session` when they could be read, so the client can correlate it.
///
/// Unknown members are refused rather than ignored: in version 1 a misspelt `sesion` is far
/// more likely than a client speaking a newer minor revision, and a silent drop would hide it.
public struct ClientMessageDecoder: Sendable {
    /// The limits a decode enforces; each is checked before the work it bounds.
    public struct Configuration: Hashable, Sendable {
        /// Largest frame accepted, in bytes (`max_frame_bytes`). Default 65,536.
        public var maxFrameBytes: Int
        /// Longest id (`id`, `session`, `session_ref`, `personality`, `tenant`, `language`), in
        /// UTF-8 bytes (`max_identifier_bytes`). Default 128.
        public var maxIdentifierBytes: Int
        /// Most `tags` in a random `start` (`max_tags`). Default 16.
        public var maxTags: Int
        /// Longest tag, in UTF-8 bytes (`max_tag_bytes`). Default 64.
        public var maxTagBytes: Int
        /// Deepest JSON nesting accepted (`max_depth`); client frames need 2. Default 4.
        public var maxDepth: Int
        /// Most earlier turns a `start` may `replay` (`max_replay_turns`). Default 64.
        public var maxReplayTurns: Int

        /// Creates a configuration with the documented defaults.
        public init(
            maxFrameBytes: Int = 65_536, maxIdentifierBytes: Int = 128, maxTags: Int = 16,
            maxTagBytes: Int = 64, maxDepth: Int = 4, maxReplayTurns: Int = 64
        ) {
            self.maxFrameBytes = maxFrameBytes
            self.maxIdentifierBytes = maxIdentifierBytes
            self.maxTags = maxTags
            self.maxTagBytes = maxTagBytes
            self.maxDepth = maxDepth
            self.maxReplayTurns = maxReplayTurns
        }
    }

    /// The limits in force.
    public let configuration: Configuration
    private let parser: JSONParser

    /// Creates a decoder.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.parser = JSONParser(
            configuration: JSONParser.Configuration(
                maxDepth: configuration.maxDepth, maxInputBytes: configuration.maxFrameBytes,
                maxStringBytes: configuration.maxFrameBytes))
    }

    /// Decodes one text frame's payload.
    public func decode(_ bytes: [UInt8]) throws(ProtocolError) -> ClientMessage {
        try bytes.withUnsafeBufferPointer { buffer throws(ProtocolError) in try decode(buffer) }
    }

    /// Decodes one text frame's payload.
    public func decode(_ text: String) throws(ProtocolError) -> ClientMessage {
        try decode(Array(text.utf8))
    }

    /// Decodes one text frame's payload from memory the caller owns for the call.
    public func decode(_ buffer: UnsafeBufferPointer<UInt8>) throws(ProtocolError) -> ClientMessage {
        if buffer.count > configuration.maxFrameBytes {
            throw ProtocolError(
                .messageTooLarge,
                "frame of \(buffer.count) bytes is larger than \(configuration.maxFrameBytes) bytes")
        }
        let value: JSONValue
        do {
            value = try parser.parse(buffer)
        } catch {
            throw ProtocolError(.invalidJSON, "invalid JSON: \(error.description)")
        }
        guard case .object(let object) = value else {
            throw ProtocolError(.invalidJSON, "a frame must be a JSON object")
        }
        var fields = FrameFields(object)
        // Correlation first, leniently: an error about a broken frame should still say which
        // message and session it concerns when those members are readable.
        if case .string(let id)? = object["id"], !id.isEmpty,
            id.utf8.count <= configuration.maxIdentifierBytes
        {
            fields.ref = id
        }
        if case .string(let session)? = object["session"], !session.isEmpty,
            session.utf8.count <= configuration.maxIdentifierBytes
        {
            fields.session = session
        }
        let type = try fields.requiredString("type", maxBytes: configuration.maxIdentifierBytes)
        let idBytes = configuration.maxIdentifierBytes
        switch type {
        case "start":
            return .start(try decodeStart(fields))
        case "message":
            try fields.rejectUnknown(allowed: ["session", "text", "id"])
            let session = try fields.requiredString("session", maxBytes: idBytes)
            let id = try fields.requiredString("id", maxBytes: idBytes)
            let text = try fields.requiredString("text")
            return .message(session: session, text: text, id: id)
        case "typing":
            try fields.rejectUnknown(allowed: ["session", "on"])
            return .typing(
                session: try fields.requiredString("session", maxBytes: idBytes),
                on: try fields.requiredBool("on"))
        case "cancel":
            try fields.rejectUnknown(allowed: ["session"])
            return .cancel(session: try fields.requiredString("session", maxBytes: idBytes))
        case "end":
            try fields.rejectUnknown(allowed: ["session"])
            return .end(session: try fields.requiredString("session", maxBytes: idBytes))
        case "next":
            try fields.rejectUnknown(allowed: ["session", "want"])
            let session = try fields.requiredString("session", maxBytes: idBytes)
            return .next(
                session: session, want: try fields.enumeration("want", as: PartnerPreference.self) ?? .partner
            )
        case "resume":
            try fields.rejectUnknown(allowed: ["session", "resume_token", "last_seq"])
            return .resume(
                session: try fields.requiredString("session", maxBytes: idBytes),
                token: try fields.requiredString("resume_token", maxBytes: idBytes),
                lastSeq: Int(try fields.requiredInt("last_seq", range: 0...Int64(Int32.max))))
        case "ping":
            try fields.rejectUnknown(allowed: ["id"])
            return .ping(id: try fields.string("id", maxBytes: idBytes))
        default:
            throw fields.failure(.unknownType, "type", "unknown message type '\(Self.printable(type))'")
        }
    }

    private func decodeStart(_ fields: FrameFields) throws(ProtocolError) -> StartRequest {
        try fields.rejectUnknown(allowed: [
            "personality", "mode", "language", "tags", "tenant", "session_ref", "max_tokens", "replay",
        ])
        let idBytes = configuration.maxIdentifierBytes
        let sessionRef = try fields.string("session_ref", maxBytes: idBytes)
        let maxTokens = try fields.int("max_tokens", range: 1...Int64(Int32.max)).map { Int($0) }
        let mode =
            try fields.string("mode", maxBytes: idBytes)
            ?? (fields.value("personality") == nil ? nil : "direct")
        switch mode {
        case "direct":
            for key in ["language", "tags", "tenant"] where fields.value(key) != nil {
                throw fields.failure(.invalidField, key, "'\(key)' is only allowed with mode 'random'")
            }
            let personality = try fields.requiredString("personality", maxBytes: idBytes)
            let replay =
                try fields.strings("replay", maxCount: configuration.maxReplayTurns, maxBytes: .max) ?? []
            return StartRequest(
                mode: .direct(personality: personality), sessionRef: sessionRef, maxReplyTokens: maxTokens,
                replay: replay)
        case "random":
            for key in ["personality", "replay"] where fields.value(key) != nil {
                throw fields.failure(.invalidField, key, "'\(key)' is not allowed with mode 'random'")
            }
            let filters = RandomFilters(
                language: try fields.string("language", maxBytes: idBytes),
                tags: try fields.strings(
                    "tags", maxCount: configuration.maxTags, maxBytes: configuration.maxTagBytes) ?? [],
                tenant: try fields.string("tenant", maxBytes: idBytes))
            return StartRequest(mode: .random(filters), sessionRef: sessionRef, maxReplyTokens: maxTokens)
        case nil:
            throw fields.failure(
                .missingField, "personality", "'start' needs 'personality' or 'mode: \"random\"'")
        case let other?:
            throw fields.failure(
                .invalidField, "mode",
                "unknown mode '\(Self.printable(other))' (expected 'direct' or 'random')")
        }
    }

    /// Client text echoed in an error, shortened and stripped of control characters.
    static func printable(_ text: String) -> String {
        let cleaned = String(
            String.UnicodeScalarView(
                text.unicodeScalars.prefix(40).filter { $0.value >= 0x20 && $0.value != 0x7F }))
        return text.unicodeScalars.count > 40 ? cleaned + "…" : cleaned
    }
}
