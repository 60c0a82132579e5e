import ChatProtocol
import JSON
import PersonaRuntime
import Personality

/// The REST door's response bodies, written with ``JSONWriter``. Pure.
enum RESTJSON {
    /// One personality as `GET /v1/personalities` lists it.
    static func writePersonality(
        _ personality: Personality, limits: LimitValues? = nil, to writer: inout JSONWriter
    ) {
        writer.beginObject()
        writer.member("id", personality.id)
        writer.member("name", personality.name)
        writer.member("description", personality.description)
        writer.key("tags")
        writer.beginArray()
        for tag in personality.tags { writer.string(tag) }
        writer.endArray()
        writer.member("language", personality.language)
        writer.member("engine", personality.engines.joined(separator: ","))
        writer.member("version", personality.version.description)
        if let greeting = personality.greetings.first {
            writer.member("greeting", greeting)
        } else {
            writer.nullMember("greeting")
        }
        if let tenant = personality.tenant { writer.member("tenant", tenant) }
        if let limits {
            // What a session starts with, for the caller's tier (the page shows replies left).
            writer.key("limits")
            writer.beginObject()
            writeOptional("responses_per_session", limits.responsesPerSession, to: &writer)
            writeOptional("max_input_chars", limits.maxInputCharacters, to: &writer)
            writeOptional("daily_messages", limits.dailyMessagesPerClient, to: &writer)
            writer.endObject()
        }
        writer.endObject()
    }

    static func personalities(_ list: [Personality], limits: (Personality) -> LimitValues? = { _ in nil }) -> [UInt8] {
        var writer = JSONWriter(capacity: 256 * max(1, list.count))
        writer.beginObject()
        writer.key("personalities")
        writer.beginArray()
        for personality in list { writePersonality(personality, limits: limits(personality), to: &writer) }
        writer.endArray()
        writer.endObject()
        return writer.finish()
    }

    static func personality(_ personality: Personality, limits: LimitValues? = nil) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writePersonality(personality, limits: limits, to: &writer)
        return writer.finish()
    }

    static func writeLimits(_ limits: LimitsLeft, to writer: inout JSONWriter) {
        writer.beginObject()
        writeOptional("responses_left", limits.responses, to: &writer)
        writeOptional("daily_messages_left", limits.dailyMessages, to: &writer)
        writeOptional("max_input_chars", limits.maxInputCharacters, to: &writer)
        writeOptional("max_reply_tokens", limits.maxReplyTokens, to: &writer)
        writer.endObject()
    }

    /// `key: value`, or `key: null` when there is no limit.
    static func writeOptional(_ key: String, _ value: Int?, to writer: inout JSONWriter) {
        if let value { writer.member(key, value) } else { writer.nullMember(key) }
    }

    static func writePersonalityInfo(_ info: PersonalityInfo, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("id", info.id)
        writer.member("name", info.name)
        writer.member("version", info.version)
        writer.endObject()
    }

    /// `POST /v1/sessions` → 201.
    static func created(_ start: SessionStart, token: String, limits: LimitsLeft?) -> [UInt8] {
        var writer = JSONWriter(capacity: 384)
        writer.beginObject()
        writer.member("session", start.session)
        writer.member("resume_token", token)
        if let personality = start.personality {
            writer.key("personality")
            writePersonalityInfo(personality, to: &writer)
        }
        if let greeting = start.greeting {
            writer.member("greeting", greeting)
        } else {
            writer.nullMember("greeting")
        }
        if let limits {
            writer.key("limits")
            writeLimits(limits, to: &writer)
        }
        writer.endObject()
        return writer.finish()
    }

    /// `GET /v1/sessions/{id}` of a live session.
    static func status(_ status: SessionStatus) -> [UInt8] {
        let summary = status.summary
        var writer = JSONWriter(capacity: 384)
        writer.beginObject()
        writer.member("session", summary.id)
        writer.member("state", summary.phase.rawValue)
        if let kind = summary.kind { writer.member("kind", kind.rawValue) }
        if let personality = summary.personality {
            writer.key("personality")
            writePersonalityInfo(personality, to: &writer)
        }
        writer.member("seq", summary.seq)
        writer.member("replies", summary.replies)
        writer.member("streaming", summary.streaming)
        writer.key("limits")
        writeLimits(status.limits, to: &writer)
        writer.endObject()
        return writer.finish()
    }

    /// `GET /v1/sessions/{id}` of an ended session, and `DELETE`'s answer.
    static func ended(_ session: EndedRESTSession) -> [UInt8] {
        var writer = JSONWriter(capacity: 192)
        writer.beginObject()
        writer.member("session", session.id)
        writer.member("state", "ended")
        writer.member("personality", session.personality)
        writer.member("reason", session.reason.rawValue)
        if let farewell = session.farewell {
            writer.member("farewell", farewell)
        } else {
            writer.nullMember("farewell")
        }
        writer.endObject()
        return writer.finish()
    }

    /// `GET /v1/sessions/{id}` of a session no hub holds, from the store: `ended` (with its
    /// reason; the farewell is not stored), or `resumable` — waiting, within its resume
    /// window or after a restart, for a call or a `/v1/ws` `resume` to take it up again.
    static func stored(_ stored: StoredSession) -> [UInt8] {
        var writer = JSONWriter(capacity: 192)
        writer.beginObject()
        writer.member("session", stored.header.id)
        writer.member("state", stored.endReason == nil ? "resumable" : "ended")
        writer.member("kind", stored.header.kind.rawValue)
        if let personality = stored.header.personalityID { writer.member("personality", personality) }
        if let reason = stored.endReason { writer.member("reason", reason.rawValue) }
        writer.member("seq", stored.lastSeq)
        writer.member("replies", max(stored.replies, stored.turns.count { $0.role == .bot }))
        writer.endObject()
        return writer.finish()
    }

    /// `POST /v1/sessions/{id}/messages` answered as JSON.
    static func reply(
        session: String, messageSeq: Int, seq: Int, replyNumber: Int, text: String, finish: FinishReason,
        tokens: Int
    ) -> [UInt8] {
        var writer = JSONWriter(capacity: 192 + text.utf8.count)
        writer.beginObject()
        writer.member("session", session)
        writer.member("message_seq", messageSeq)
        writer.member("seq", seq)
        writer.member("reply_number", replyNumber)
        writer.member("reply", text)
        writer.member("finish", finish.rawValue)
        writer.member("tokens", tokens)
        writer.endObject()
        return writer.finish()
    }

    /// `POST /v1/sessions/{id}/messages` on a session with a human partner: the message is
    /// stored and relayed (202); the partner's answers are turns of the history.
    static func delivered(session: String, messageSeq: Int) -> [UInt8] {
        var writer = JSONWriter(capacity: 96)
        writer.beginObject()
        writer.member("session", session)
        writer.member("message_seq", messageSeq)
        writer.member("delivered_to", "human")
        writer.endObject()
        return writer.finish()
    }

    /// `GET /v1/sessions/{id}/messages`: one page of stored turns.
    static func history(session: String, page: HistoryPage) -> [UInt8] {
        var writer = JSONWriter(capacity: 128 + page.turns.count * 96)
        writer.beginObject()
        writer.member("session", session)
        writer.key("messages")
        writer.beginArray()
        for turn in page.turns {
            writer.beginObject()
            writer.member("seq", turn.seq)
            writer.member("role", turn.role.rawValue)
            writer.member("text", turn.text)
            writer.endObject()
        }
        writer.endArray()
        writer.member("has_more", page.hasMore)
        if let next = page.nextAfter {
            writer.member("next_after", next)
        } else {
            writer.nullMember("next_after")
        }
        writer.endObject()
        return writer.finish()
    }
}
