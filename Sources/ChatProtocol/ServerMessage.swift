/// A message from the server to a client (protocol version 1).
///
/// Every message about a session carries its `session` id. Wire form (snake_case members):
///
/// | `type` | members |
/// |---|---|
/// | `welcome` | `connection`, `protocol`, `heartbeat_ms`, `limits` {`max_frame_bytes`, `max_sessions`, `max_queued_messages`} |
/// | `matching` | `session`, `timeout_ms`, `session_ref`? |
/// | `session_started` | `session`, `kind` (`bot`\|`human`), `personality` {`id`,`name`,`version`}?, `greeting`?, `session_ref`?, `resume_token`? |
/// | `session_resumed` | `session`, `kind`, `personality`?, `last_seq` (the latest turn; the replay that follows ends there) |
/// | `session_detached` | `session` — another connection resumed it; this one gets no more of it |
/// | `ack` | `session`, `id` (client message id), `seq` |
/// | `reply_start` | `session`, `reply`, `seq`, `ref`? (the client message id answered) |
/// | `token` | `session`, `reply`, `delta` |
/// | `reply_end` | `session`, `reply`, `seq`, `tokens`, `finish` (`stop`\|`length`\|`cancelled`\|`error`) |
/// | `partner_message` | `session`, `seq`, `text` |
/// | `partner_typing` | `session`, `on` |
/// | `session_ended` | `session`, `reason`, `farewell`? |
/// | `error` | `code`, `message`, `retry_after_ms`?, `ref`?, `session`? |
/// | `pong` | `id`? |
///
/// `seq` numbers every turn of a session (client messages, bot replies, partner messages) from
/// 1, in the order the server accepted them; `reply` numbers the bot's replies from 1.
public enum ServerMessage: Hashable, Sendable {
    /// First frame on a connection.
    case welcome(
        connection: String, protocolVersion: Int, heartbeatMilliseconds: Int, limits: ConnectionLimits)
    /// A random session is waiting for a partner for at most `timeoutMilliseconds`.
    case matching(session: String, timeoutMilliseconds: Int64, sessionRef: String?)
    /// A session is active.
    case sessionStarted(SessionStart)
    /// The client's message `id` was accepted as turn `seq`.
    case ack(session: String, id: String, seq: Int)
    /// A bot reply begins; tokens follow.
    case replyStart(session: String, reply: Int, seq: Int, ref: String?)
    /// One token of a reply.
    case token(session: String, reply: Int, delta: String)
    /// A reply is over.
    case replyEnd(session: String, reply: Int, seq: Int, tokens: Int, finish: FinishReason)
    /// The human partner said something.
    case partnerMessage(session: String, seq: Int, text: String)
    /// The human partner started or stopped typing.
    case partnerTyping(session: String, on: Bool)
    /// `resume` succeeded: the replay of missed turns follows, then the session continues live.
    case sessionResumed(SessionStart, lastSeq: Int)
    /// Another connection resumed the session; nothing more of it comes here.
    case sessionDetached(session: String)
    /// The session is over.
    case sessionEnded(session: String, reason: EndReason, farewell: String?)
    /// Something the client sent was refused.
    case error(ErrorReport)
    /// Answer to `ping`.
    case pong(id: String?)

    /// The `type` member of this message.
    public var type: String {
        switch self {
        case .welcome: "welcome"
        case .matching: "matching"
        case .sessionStarted: "session_started"
        case .sessionResumed: "session_resumed"
        case .sessionDetached: "session_detached"
        case .ack: "ack"
        case .replyStart: "reply_start"
        case .token: "token"
        case .replyEnd: "reply_end"
        case .partnerMessage: "partner_message"
        case .partnerTyping: "partner_typing"
        case .sessionEnded: "session_ended"
        case .error: "error"
        case .pong: "pong"
        }
    }

    /// The session the message concerns, if any.
    public var session: String? {
        switch self {
        case .matching(let session, _, _), .ack(let session, _, _), .replyStart(let session, _, _, _),
            .token(let session, _, _), .replyEnd(let session, _, _, _, _), .partnerMessage(let session, _, _),
            .partnerTyping(let session, _), .sessionEnded(let session, _, _), .sessionDetached(let session):
            session
        case .sessionStarted(let start), .sessionResumed(let start, _): start.session
        case .error(let report): report.session
        case .welcome, .pong: nil
        }
    }
}

/// The body of `session_started`.
public struct SessionStart: Hashable, Sendable {
    /// The session id.
    public var session: String
    /// Bot or human.
    public var kind: SessionKind
    /// The personality, for bot sessions.
    public var personality: PersonalityInfo?
    /// The bot's greeting, if it has one.
    public var greeting: String?
    /// The client's `session_ref` from `start`, echoed.
    public var sessionRef: String?
    /// The secret a later `resume` must present (only its hash is stored); sent once, in
    /// `session_started`.
    public var resumeToken: String?

    /// Creates the body.
    public init(
        session: String, kind: SessionKind, personality: PersonalityInfo? = nil, greeting: String? = nil,
        sessionRef: String? = nil, resumeToken: String? = nil
    ) {
        self.session = session
        self.kind = kind
        self.personality = personality
        self.greeting = greeting
        self.sessionRef = sessionRef
        self.resumeToken = resumeToken
    }
}
