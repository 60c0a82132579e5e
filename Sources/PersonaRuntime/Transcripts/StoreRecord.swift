import ChatProtocol

/// One write the hub asks its store to make. The hub sends records in the order they happen;
/// a store applies the records of one ``TranscriptStore/write(_:ticket:)`` call atomically
/// (all or none) and in order with every earlier call.
public enum StoreRecord: Hashable, Sendable {
    /// A session became active (bot or human): its header, with the resume token's hash.
    case session(StoredSessionHeader)
    /// One turn (scrubbed text only).
    case turn(StoredTurn)
    /// What a bot session's script engine remembers, and the replies used so far, after a reply.
    case engineState(session: String, EngineSnapshot, replies: Int)
    /// The session is over.
    case ended(session: String, reason: EndReason, atMilliseconds: Int64)
    /// Messages `client` sent on UTC day `day` (`daily_messages_per_client`).
    case quota(client: String, day: Int64, count: Int)
}

/// What a store keeps about a session besides its turns.
public struct StoredSessionHeader: Hashable, Sendable {
    /// The session id.
    public var id: String
    /// Bot or human.
    public var kind: SessionKind
    /// The personality id and version of a bot session.
    public var personalityID: String?, personalityVersion: String?
    /// The client key, tenant and tier the session was opened with.
    public var clientKey: String, tenant: String?, tier: String?
    /// When the session became active (milliseconds since 1970, UTC).
    public var createdAtMilliseconds: Int64
    /// The hex SHA-256 of the session's resume token (the token itself is never stored).
    public var resumeTokenHash: String

    /// Creates a header.
    public init(
        id: String, kind: SessionKind, personalityID: String? = nil, personalityVersion: String? = nil,
        clientKey: String, tenant: String? = nil, tier: String? = nil, createdAtMilliseconds: Int64,
        resumeTokenHash: String
    ) {
        self.id = id
        self.kind = kind
        self.personalityID = personalityID
        self.personalityVersion = personalityVersion
        self.clientKey = clientKey
        self.tenant = tenant
        self.tier = tier
        self.createdAtMilliseconds = createdAtMilliseconds
        self.resumeTokenHash = resumeTokenHash
    }
}

/// One stored turn.
public struct StoredTurn: Hashable, Sendable {
    /// The session id.
    public var session: String
    /// The turn's sequence number (unique per session).
    public var seq: Int
    /// Who said it.
    public var role: TranscriptEntry.Role
    /// The scrubbed text (for a bot turn: the tokens that were sent, joined).
    public var text: String
    /// The client message id (a user turn), or the id of the message a bot reply answers.
    public var ref: String?
    /// The bot reply's number within the session (bot turns only).
    public var reply: Int?
    /// How a bot reply ended (bot turns only).
    public var finish: FinishReason?
    /// When the hub accepted (user, partner) or finished (bot) it, in ms since 1970 UTC.
    public var atMilliseconds: Int64

    /// Creates a turn.
    public init(
        session: String, seq: Int, role: TranscriptEntry.Role, text: String, ref: String? = nil,
        reply: Int? = nil, finish: FinishReason? = nil, atMilliseconds: Int64
    ) {
        self.session = session
        self.seq = seq
        self.role = role
        self.text = text
        self.ref = ref
        self.reply = reply
        self.finish = finish
        self.atMilliseconds = atMilliseconds
    }
}

/// The script engine's session state, as stored, so a bot session continues after a restart
/// with its variables, topic and random sequence (its recent history is rebuilt from the
/// turns; ``inputs`` and ``replies`` are kept for stores that want them, and empty otherwise).
public struct EngineSnapshot: Hashable, Sendable {
    /// Session variables.
    public var variables: [String: String]
    /// The current topic.
    public var topic: String
    /// Recent inputs and replies, latest first.
    public var inputs: [String], replies: [String]
    /// The random generator's state.
    public var random: UInt64

    /// Creates a snapshot.
    public init(
        variables: [String: String] = [:], topic: String = "random", inputs: [String] = [],
        replies: [String] = [], random: UInt64 = 0
    ) {
        self.variables = variables
        self.topic = topic
        self.inputs = inputs
        self.replies = replies
        self.random = random
    }
}
