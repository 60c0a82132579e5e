/// `daily_tokens_per_client` bookkeeping, pure: per client, tokens spent and reserved in the
/// current UTC day. A request reserves its maximum (prompt estimate + `max_tokens`) before it
/// is sent and is refused when that would pass the limit; when it ends, the reservation is
/// replaced by the real count. So concurrent requests cannot together overshoot the budget.
public struct DailyTokenBudget: Sendable {
    struct Entry: Sendable {
        var day: Int64
        var spent: Int
        var reserved: Int
    }

    /// Most clients tracked; past it, entries of earlier days are dropped first, and a client
    /// that still does not fit is not limited (the alternative, refusing everyone new, is worse).
    public let maxClients: Int
    private var entries: [String: Entry] = [:]

    /// Creates an empty budget.
    public init(maxClients: Int = 100_000) {
        self.maxClients = maxClients
    }

    /// Reserves `tokens` for `client` on `day` if `limit` allows; returns whether it did.
    public mutating func reserve(_ tokens: Int, client: String, limit: Int, day: Int64) -> Bool {
        var entry = entries[client] ?? Entry(day: day, spent: 0, reserved: 0)
        if entry.day != day { entry = Entry(day: day, spent: 0, reserved: 0) }
        guard entry.spent + entry.reserved + tokens <= limit else { return false }
        entry.reserved += tokens
        if entries[client] == nil, entries.count >= maxClients {
            entries = entries.filter { $0.value.day == day }
            guard entries.count < maxClients else { return true }
        }
        entries[client] = entry
        return true
    }

    /// Replaces a reservation of `reserved` tokens by the `used` count.
    public mutating func settle(reserved: Int, used: Int, client: String, day: Int64) {
        guard var entry = entries[client], entry.day == day else { return }
        entry.reserved = max(0, entry.reserved - reserved)
        entry.spent += used
        entries[client] = entry
    }

    /// Tokens spent by `client` on `day`.
    public func spent(by client: String, day: Int64) -> Int {
        guard let entry = entries[client], entry.day == day else { return 0 }
        return entry.spent
    }
}
