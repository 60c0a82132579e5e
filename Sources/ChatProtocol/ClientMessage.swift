/// A message from a client to the server (protocol version 1).
///
/// Wire form, one JSON object per text frame (members other than `type` in any order):
///
/// | `type` | members |
/// |---|---|
/// | `start` | `personality` (direct), or `mode: "random"` with optional `language`, `tags`, `tenant`; optional `session_ref`, `max_tokens`, `replay` (direct only) |
/// | `message` | `session`, `text`, `id` (the client's message id, echoed in `ack` and errors) |
/// | `typing` | `session`, `on` (boolean) |
/// | `cancel` | `session` — stop the reply being streamed |
/// | `end` | `session` |
/// | `next` | `session` (an ended random or human session), optional `want: "partner" \| "bot"` |
/// | `resume` | `session`, `resume_token` (from `session_started`), `last_seq` (the last `seq` the client saw; 0 for all) |
/// | `ping` | optional `id` |
public enum ClientMessage: Hashable, Sendable {
    /// Starts a session.
    case start(StartRequest)
    /// Sends a chat message in a session.
    case message(session: String, text: String, id: String)
    /// Says the user started (`on: true`) or stopped typing; relayed to a human partner.
    case typing(session: String, on: Bool)
    /// Cancels the reply being streamed (the stream stops within one token).
    case cancel(session: String)
    /// Ends a session.
    case end(session: String)
    /// After a partner left (or a random session ended), asks for a new partner in a new session.
    case next(session: String, want: PartnerPreference)
    /// Re-attaches a session to this connection (after a reconnect or a server restart) and
    /// replays every turn after `lastSeq`.
    case resume(session: String, token: String, lastSeq: Int)
    /// Heartbeat; answered with `pong` carrying the same id.
    case ping(id: String?)

    /// The `type` member of this message.
    public var type: String {
        switch self {
        case .start: "start"
        case .message: "message"
        case .typing: "typing"
        case .cancel: "cancel"
        case .end: "end"
        case .next: "next"
        case .resume: "resume"
        case .ping: "ping"
        }
    }

    /// The session the message concerns, if it names one.
    public var session: String? {
        switch self {
        case .message(let session, _, _), .typing(let session, _), .cancel(let session), .end(let session),
            .next(let session, _), .resume(let session, _, _):
            session
        case .start, .ping: nil
        }
    }
}

/// What `start` asks for.
public struct StartRequest: Hashable, Sendable {
    /// Direct (a named personality) or random (the matchmaker decides).
    public enum Mode: Hashable, Sendable {
        /// Talk to this personality.
        case direct(personality: String)
        /// Find a human partner, or a fallback personality after the matchmaking timeout.
        case random(RandomFilters)
    }

    /// The mode.
    public var mode: Mode
    /// An opaque client value echoed in `matching` and `session_started`, so a client that
    /// starts several sessions at once can tell the answers apart.
    public var sessionRef: String?
    /// A cap on every reply's tokens in this session (`max_tokens`). It can only lower the
    /// personality's own `max_reply_tokens`, never raise it.
    public var maxReplyTokens: Int?
    /// Earlier user turns of a conversation held by the client (`replay`, direct sessions
    /// only): the bot hears each, scrubbed, in order, before the session starts, and its
    /// answers are discarded — so an engine whose state is built from the conversation (the
    /// script engine's variables, topic and `%previous`) continues where the client's copy
    /// of the conversation left off. Replayed turns are not messages: they are neither
    /// acknowledged, rate limited nor recorded.
    public var replay: [String]
    /// A one-shot session (never on the wire; the HTTP doors set it for a stateless chat
    /// completion): no resume token is minted, nothing is written to the store but the
    /// client's daily count, it ends when its connection closes (no resume window), and the
    /// server logs it as one-shot (one line at its end, rate-bounded). Limits, cache, PII scrubbing and streaming are as for any session.
    package var oneShot = false

    /// Creates a request.
    public init(mode: Mode, sessionRef: String? = nil, maxReplyTokens: Int? = nil, replay: [String] = []) {
        self.mode = mode
        self.sessionRef = sessionRef
        self.maxReplyTokens = maxReplyTokens
        self.replay = replay
    }
}

/// What a random session is matched on.
public struct RandomFilters: Hashable, Sendable {
    /// Only partners (and fallback personalities) speaking this language.
    public var language: String?
    /// Partners must share every one of these tags; fallback personalities must carry them all.
    public var tags: [String]
    /// The tenant the client belongs to: fallback candidates restricted to other tenants are skipped.
    public var tenant: String?

    /// Creates filters; no filter by default.
    public init(language: String? = nil, tags: [String] = [], tenant: String? = nil) {
        self.language = language
        self.tags = tags
        self.tenant = tenant
    }
}

/// Who `next` asks for.
public enum PartnerPreference: String, Hashable, Sendable, CaseIterable {
    /// A human first, then a fallback personality after the timeout (like a fresh random start).
    case partner
    /// A fallback personality right away.
    case bot
}
