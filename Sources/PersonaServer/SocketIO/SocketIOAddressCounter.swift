import Synchronization

/// Open Engine.IO sessions per peer IP, across loops, for
/// ``SocketIOServerConfiguration/maxSessionsPerAddress``.
final class SocketIOAddressCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes one slot for `address`; false when it already holds `limit` sessions.
    func acquire(_ address: String) -> Bool {
        counts.withLock { counts in
            let current = counts[address, default: 0]
            guard current < limit else { return false }
            counts[address] = current + 1
            return true
        }
    }

    /// Whether `address` already holds `limit` sessions (a cheap early answer; the slot is
    /// taken by ``acquire(_:)`` once the session really opens).
    func isFull(_ address: String) -> Bool {
        counts.withLock { $0[address, default: 0] >= limit }
    }

    /// Gives a slot back.
    func release(_ address: String) {
        counts.withLock { counts in
            let current = counts[address, default: 0]
            if current <= 1 { counts[address] = nil } else { counts[address] = current - 1 }
        }
    }
}
