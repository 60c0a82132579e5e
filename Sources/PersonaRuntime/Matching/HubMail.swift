import ChatProtocol

/// A session's address across hubs: which hub owns it, and its id there.
public struct PeerAddress: Hashable, Sendable {
    /// The owning hub's index.
    public var hub: Int
    /// The session id on that hub.
    public var session: String

    /// Creates an address.
    public init(hub: Int, session: String) {
        self.hub = hub
        self.session = session
    }
}

/// What one hub tells another about a human-to-human session whose two sides live on
/// different hubs (event-loop threads). Delivered by the shell through the target loop's
/// `execute`, in order per sender.
public enum HubMail: Hashable, Sendable {
    /// The waiting session `session` was matched with `partner`.
    case paired(session: String, partner: PeerAddress)
    /// The partner of `session` said `text` (already scrubbed).
    case relay(session: String, text: String)
    /// The partner of `session` started or stopped typing.
    case typing(session: String, on: Bool)
    /// The partner of `session` left; `session` ends with `reason` — `partner_left`, or
    /// `shutdown` when the partner's side ended because the server is shutting down (so both
    /// sides of a pair end alike wherever they live).
    case partnerLeft(session: String, reason: EndReason = .partnerLeft)
    /// A queue that decides later (``MatchQueueing``) withdrew the waiting session's ticket
    /// after its timeout: nobody took it, so the session falls back to a personality.
    case unmatched(session: String)
    /// Hub `requester` is resuming `session` for a client: if this hub holds it, let go of it
    /// (finish its reply, store it, forget it) and answer ``released(session:requester:)``.
    case release(session: String, requester: Int)
    /// The answer to ``release(session:requester:)`` (whether or not this hub held the session).
    case released(session: String, requester: Int)
}
