import Synchronization

/// Short-lived, single-use tickets for `/v1/ws?ticket=…`: a page that holds a key asks
/// `POST /v1/ws-tickets` (with the key as a bearer) and opens the WebSocket with the ticket, so
/// the long-lived key never appears in a URL a proxy might log. A ticket is valid for
/// ``lifetime`` seconds and for one upgrade; the key is checked again when it is used (a key
/// revoked in between is refused).
public final class WebSocketTickets: Sendable {
    /// How long a ticket is valid, in seconds. Default 30.
    public let lifetime: Int64
    /// Most unused tickets held (expired ones are swept first; 429 beyond). Default 10,000.
    public let maxTickets: Int
    private let tickets = Mutex<[String: (key: String, expires: Int64)]>([:])

    /// A ticket office with the documented defaults.
    public init(lifetime: Int64 = 30, maxTickets: Int = 10_000) {
        self.lifetime = lifetime
        self.maxTickets = maxTickets
    }

    /// A new ticket for the key whose text is `keyText`, or nil when ``maxTickets`` are held.
    public func issue(for keyText: String, now: Int64) -> String? {
        let ticket = "t_" + KeySecret.mint().text.dropFirst(KeySecret.prefix.count + 13)
        return tickets.withLock { tickets -> String? in
            if tickets.count >= maxTickets { tickets = tickets.filter { $0.value.expires > now } }
            guard tickets.count < maxTickets else { return nil }
            tickets[ticket] = (keyText, now + lifetime)
            return ticket
        }
    }

    /// The key text `ticket` stands for, once: the ticket is gone after this call.
    public func redeem(_ ticket: String, now: Int64) -> String? {
        guard let entry = tickets.withLock({ $0.removeValue(forKey: ticket) }), entry.expires > now else { return nil }
        return entry.key
    }
}
