import ChatProtocol

/// Which session a frame names, resolved when the frame is sent (so a shrunk run, in which
/// earlier sessions may be missing, still names a sensible one).
public enum SessionPick: Hashable, Sendable {
    /// The `k`th (modulo their number) session this connection has been told about, live or ended.
    case own(Int)
    /// The `k`th (modulo their number) session any connection has been told about: usually
    /// another user's.
    case foreign(Int)
    /// An id nobody was given.
    case madeUp(String)
}

/// One frame a virtual user sends, with its session left symbolic.
public enum ChaosFrame: Hashable, Sendable {
    /// `start`, direct or random, always with a `session_ref` (`r…`).
    case start(StartRequest)
    /// `message` with the client id `id` (`m…`; sometimes a duplicate of an earlier one).
    case message(SessionPick, text: String, id: String)
    /// `typing`.
    case typing(SessionPick, on: Bool)
    /// `cancel`.
    case cancel(SessionPick)
    /// `end`.
    case end(SessionPick)
    /// `next`.
    case next(SessionPick, want: PartnerPreference)
    /// `ping` with `p…`: the user's barrier — every message sent before it must be answered
    /// by the time its `pong` arrives.
    case ping(String)
    /// A frame that is not a valid client message (bad JSON, wrong types, unknown members).
    case invalid(String)
}

/// One step of a chaos run.
public enum ChaosAction: Hashable, Sendable {
    /// User `user` opens a connection (in-process: on hub `hub` modulo the hub count).
    case connect(user: Int, hub: Int)
    /// User `user` drops its connection without a word.
    case drop(user: Int)
    /// User `user` sends a frame (ignored while it is not connected).
    case send(user: Int, ChaosFrame)
    /// Time passes (in-process: the manual clock moves, firing due timers).
    case wait(milliseconds: Int)
    /// Mail between hubs is delivered (in-process; a real server delivers it by itself).
    case deliverMail
    /// The registry is reloaded (in-process: alternately with a changed personality set).
    case reload
}
