import ChatProtocol

/// Where the hub keeps sessions and turns (DESIGN §5 and §7): called on the hub's thread,
/// never blocking it. A durable store answers later, through ``ChatHub/storeWritten(_:_:)``
/// and ``ChatHub/storeLoaded(_:_:)`` with the ticket it was given; an in-memory store may
/// answer at once.
///
/// "Acknowledged means stored": the hub sends a message's `ack` only after the write holding
/// its turn succeeded, and refuses it with `store_unavailable` when the write failed.
public protocol TranscriptStore: AnyObject {
    /// Stores `records` atomically, after every earlier write. With a `nil` ticket nobody
    /// waits for the outcome (a reply, a header): the store need not answer through the hub.
    func write(_ records: [StoreRecord], ticket: StoreTicket?) -> StoreAnswer<Void>
    /// Stores `records` like ``write(_:ticket:)`` and, once they are stored, delivers `mail` to
    /// hub `hub` itself, in the same step — or returns `nil` (nothing written) when it cannot
    /// for that hub; the hub then writes plainly and sends the mail after the commit. A store
    /// whose write failed never delivers the mail.
    func write(_ records: [StoreRecord], ticket: StoreTicket, carrying mail: HubMail, to hub: Int) -> StoreAnswer<Void>?
    /// Reads one session (after every earlier write), or `nil` when the store has no such session.
    func load(_ session: String, ticket: StoreTicket) -> StoreAnswer<StoredSession?>
    /// Forgets what is kept in memory about ended sessions past the store's age bound; the hub
    /// calls it on its housekeeping tick. Returns whether anything about ended sessions is
    /// still held in memory (the hub keeps ticking until nothing is).
    func forgetExpired() -> Bool
}

extension TranscriptStore {
    /// Carries no mail: the hub sends it after the commit.
    public func write(_ records: [StoreRecord], ticket: StoreTicket, carrying mail: HubMail, to hub: Int) -> StoreAnswer<Void>? {
        nil
    }

    /// A store that holds nothing about ended sessions in memory has nothing to forget.
    public func forgetExpired() -> Bool { false }
}

/// Identifies one store request of one hub.
public struct StoreTicket: Hashable, Sendable, CustomStringConvertible {
    /// The number, unique per hub.
    public let rawValue: UInt64

    /// Creates a ticket.
    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// `#n`.
    public var description: String { "#\(rawValue)" }
}

/// A store's answer to a request: now, or later through the hub.
public enum StoreAnswer<Value: Sendable>: Sendable {
    /// Done; here is the outcome.
    case now(Result<Value, StoreFailure>)
    /// The outcome will come through the hub's `storeWritten` / `storeLoaded` with the ticket.
    case later
}
