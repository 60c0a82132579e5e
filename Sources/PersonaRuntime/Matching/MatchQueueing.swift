import ChatProtocol

/// Where random sessions wait for a human partner: the seam between the hub and the queue
/// that arbitrates pairing — ``MatchQueue`` inside one process, or a queue shared by several
/// nodes (over Redis) that answers later.
///
/// A ticket leaves the queue exactly once: claimed by a newcomer (the pair is made) or
/// withdrawn by its own hub (timeout, end, disconnect). A queue either decides at once
/// (``claimOrEnqueue(_:)`` returns the partner, ``withdraw(_:)`` returns `true`) or
/// decides later and tells the waiting session's hub by mail, as an input like any other:
/// - ``HubMail/paired(session:partner:)`` when the session was paired;
/// - ``HubMail/unmatched(session:)`` when its withdraw removed the ticket (then the hub falls
///   back to a personality, exactly once).
///
/// A queue that decides later returns `nil` from ``claimOrEnqueue(_:)`` (its claim-or-wait
/// answers by mail), and returns `false` from ``withdraw(_:)``.
public protocol MatchQueueing: Sendable {
    /// Takes the longest-waiting ticket compatible with `ticket` of another connection; when
    /// there is none, adds `ticket` at the back and returns `nil` — in one step, so two
    /// newcomers arriving together on different event loops meet instead of both waiting. A
    /// queue that decides later always returns `nil` and pairs by mail.
    func claimOrEnqueue(_ ticket: MatchTicket) -> MatchTicket?
    /// Removes the session's ticket: `true` when removed now; `false` when it was claimed (a
    /// pairing mail is coming) or when the answer comes later as mail.
    func withdraw(_ address: PeerAddress) -> Bool
}
