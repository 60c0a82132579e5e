import ChatProtocol
import Synchronization

/// Random sessions waiting for a human partner, first come, first served — shared by every
/// hub of a process, so two clients on different event-loop threads still meet.
///
/// The queue is the single point of arbitration: a ticket leaves it exactly once, either taken
/// by a newcomer (``claimOrEnqueue(_:)``: the pair is made) or withdrawn by its own hub
/// (``withdraw(_:)``: on timeout, end or disconnect). When a hub's withdraw finds the ticket
/// already gone, a ``HubMail/paired(session:partner:)`` for it is on its way, and the hub waits
/// for it rather than falling back to a bot. One mutex guards a short array scan; at the sizes
/// a matchmaking queue holds in practice (people waiting seconds) that beats anything cleverer.
public final class MatchQueue: MatchQueueing {
    private let tickets = Mutex<[MatchTicket]>([])

    /// Creates an empty queue.
    public init() {}

    /// Takes the longest-waiting compatible ticket of another connection, or adds `ticket` at
    /// the back of the queue and returns `nil` — under one lock, so two newcomers never both wait.
    public func claimOrEnqueue(_ ticket: MatchTicket) -> MatchTicket? {
        tickets.withLock { tickets in
            guard
                let index = tickets.firstIndex(where: {
                    !($0.connection == ticket.connection && $0.address.hub == ticket.address.hub)
                        && MatchTicket.compatible($0.filters, ticket.filters)
                })
            else {
                tickets.append(ticket)
                return nil
            }
            return tickets.remove(at: index)
        }
    }

    /// Removes the session's ticket; `false` when it was already claimed (a pairing mail is coming).
    public func withdraw(_ address: PeerAddress) -> Bool {
        tickets.withLock { tickets in
            guard let index = tickets.firstIndex(where: { $0.address == address }) else { return false }
            tickets.remove(at: index)
            return true
        }
    }

    /// How many sessions are waiting.
    public var count: Int { tickets.withLock { $0.count } }
}
