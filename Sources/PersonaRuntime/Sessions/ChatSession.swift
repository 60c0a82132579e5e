import ChatProtocol
import Engines
import Personality
import Policies

/// One conversation, owned by one hub and one connection. A class because the hub mutates it
/// in place from many entry points; it never leaves the hub's thread.
///
/// State machine: `matching` (random, waiting for a partner) → `active` → `ending` (no new
/// messages; the reply in flight finishes, then the session ends) → ended (removed from the
/// hub; only a ``RememberedSession`` stays for `next`).
final class ChatSession {
    enum State: Equatable {
        case matching
        case active
        case ending(EndReason)
    }

    /// Who the session talks to.
    enum Peer {
        case none
        case bot(BotPeer)
        case human(PeerAddress)
    }

    let id: String
    /// The connection the session talks to (after a resume, the new one).
    var connection: ConnectionID
    let client: ClientIdentity
    let sessionRef: String?
    /// The filters of a random session (kept for `next`); `nil` for direct sessions.
    let filters: RandomFilters?
    let createdAt: PolicyInstant
    var state: State = .matching
    var peer: Peer = .none
    var startedAt: PolicyInstant
    var lastActivity: PolicyInstant
    /// The last sequence number used in this session.
    var seq = 0
    /// Replies started so far.
    var replyCount = 0
    var reply: ReplyInProgress?
    var queue: [QueuedMessage] = []
    var limits: LimitValues
    /// The client's own cap on reply tokens (`start`'s `max_tokens`); lowers `limits.maxReplyTokens`.
    var replyTokenCap: Int?
    var scrubSession = ScrubSession()
    var matchTimer: TimerToken?
    var cadenceTimer: TimerToken?
    var idleTimer: TimerToken?
    var lifetimeTimer: TimerToken?
    /// The connection is gone and the session waits for a `resume` until this timer fires.
    var detachTimer: TimerToken?
    /// Whether the session's connection is open (false between a disconnect and a resume).
    var attached = true
    /// The hex SHA-256 of the resume token (empty for a one-shot session: never resumable).
    var resumeTokenHash = ""
    /// Started with `start`'s `oneShot`: unrecorded, unresumable, ended with its connection.
    var oneShot = false
    /// Messages written to the store but not yet committed (acked when they are).
    var awaitingCommit = 0
    /// The engine snapshot last written to the store (skipped when unchanged).
    var storedSnapshot: EngineSnapshot?
    /// `cancel` came while the message it answers was being stored: cut its reply at the start.
    var cancelNextReply = false
    /// A resume is replaying stored turns: live frames wait here until the replay is out.
    var replay: ReplayHold?
    /// Another hub asked for the session: it is released once its reply is finished and stored.
    var releaseTo: Int?

    init(
        id: String, connection: ConnectionID, client: ClientIdentity, sessionRef: String?,
        filters: RandomFilters?, now: PolicyInstant, limits: LimitValues
    ) {
        self.id = id
        self.connection = connection
        self.client = client
        self.sessionRef = sessionRef
        self.filters = filters
        self.createdAt = now
        self.startedAt = now
        self.lastActivity = now
        self.limits = limits
    }

    var bot: BotPeer? {
        if case .bot(let bot) = peer { return bot }
        return nil
    }

    var partner: PeerAddress? {
        if case .human(let address) = peer { return address }
        return nil
    }

    var isEnding: Bool {
        if case .ending = state { return true }
        return false
    }
}

/// The bot side of a session: the personality at the version the session runs on, and its engines.
final class BotPeer {
    var personality: Personality
    var chain: EngineChain
    /// A reload replaced (or removed) the personality while a reply streamed: apply it after.
    var pendingUpdate = false

    init(personality: Personality, chain: EngineChain) {
        self.personality = personality
        self.chain = chain
    }
}

/// A client message accepted (acked) while a reply was streaming, waiting its turn.
struct QueuedMessage {
    var text: String
    var id: String
    var acceptedAt: PolicyInstant
}

/// Live frames held while a resume's replay is read from the store.
struct ReplayHold {
    /// The connection being replayed to.
    var connection: ConnectionID
    /// The frames, in order.
    var frames: [ServerMessage] = []
}

/// What `next` needs from a session that has ended.
struct RememberedSession {
    var id: String
    var filters: RandomFilters?
    var wasRandom: Bool
    /// When it ended: it is forgotten ``ChatHubConfiguration/rememberedSessionAge`` later.
    var endedAt: PolicyInstant
}
