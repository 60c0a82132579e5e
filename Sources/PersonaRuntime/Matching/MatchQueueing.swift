import ChatProtocol

/// Where random sessions wait for a human partner: the seam between the hub and the queue
/// that arbitrates pairing — ``MatchQueue`` inside one process, or a queue shared by several
/// nodes (over Redis) that answers later.
///
/// A ticket leaves the queue exactly once: claimed by a newcomer (the pair is made) or
/// withdrawn by its own hub (timeout, end, disconnect). A queue either decides at once
/// (``claim(for:connection:hub:)`` returns the partner, ``withdraw(_:)`` returns `true`) or
/// decides later and tells the waiting session's hub by mail, as an input like any other:
/// - ``HubMail/paired(session:partner:)`` when the session was paired;
/// - ``HubMail/unmatched(session:)`` when its withdraw removed the ticket (then the hub falls
///   back to a personality, exactly once).
///
/// A queue that decides later returns `nil` from ``claim(for:connection:hub:)`` and does its
/// own claim-or-wait in ``enqueue(_:)``, and returns `false` from ``withdraw(_:)``.
public protocol MatchQueueing: Sendable {
    /// Takes the longest-waiting compatible ticket of another connection, or `nil` (none, or
    /// the answer comes later as mail).
    func claim(for filters: RandomFilters, connection: ConnectionID, hub: Int) -> MatchTicket?
    /// Adds a waiting session (a later-deciding queue may pair it instead, by mail).
    func enqueue(_ ticket: MatchTicket)
    /// Removes the session's ticket: `true` when removed now; `false` when it was claimed (a
    /// pairing mail is coming) or when the answer comes later as mail.
    func withdraw(_ address: PeerAddress) -> Bool
}
