import Synchronization

/// A server-wide budget for buffered inbound WebSocket data: every connection of a server
/// charges its large messages to one shared counter, so the memory all peers together can make
/// the server hold is bounded whatever each endpoint's own message limit is.
///
/// A message is charged as soon as a frame header announces that it will be large (at least
/// `threshold` bytes, counting the fragments before it) — before its payload is buffered — at
/// twice its size: once for the message, once for an answer built while the message is still
/// held (an echo holds both for a moment). Once the application has handled it, the charge
/// shrinks to what is still queued to be sent (see
/// ``WebSocketConnection/deliveredMessagesHandled(queuedBytes:)``), and goes when that has
/// left: a peer that does not read its answers gets no fresh allowance. So the memory all large
/// messages occupy never exceeds `limit`, however many loops handle them at once.
/// A frame that does not fit is refused with 1009 (`memoryBudgetExhausted`); smaller messages
/// are never charged (they are bounded per connection by the endpoint's message limit and by
/// `threshold`), so the hot path of small messages costs no atomic operation.
public final class WebSocketMemoryBudget: Sendable {
    /// The most bytes all connections together may have charged. Default 64 MiB.
    public let limit: Int
    /// Messages at least this large are charged. Default 64 KiB (the chat protocol's frame cap:
    /// chat traffic is never charged).
    public let threshold: Int
    private let used = Atomic<Int>(0)

    /// Creates a budget of `limit` bytes charging messages of at least `threshold` bytes.
    public init(limit: Int = 64 << 20, threshold: Int = 64 * 1024) {
        self.limit = max(0, limit)
        self.threshold = max(1, threshold)
    }

    /// Bytes charged now.
    public var inUse: Int { used.load(ordering: .relaxed) }

    /// Charges `bytes` if they fit under the limit; returns whether they were charged.
    public func reserve(_ bytes: Int) -> Bool {
        guard bytes > 0 else { return true }
        var current = used.load(ordering: .relaxed)
        while true {
            guard current <= limit - bytes else { return false }
            let (exchanged, original) = used.compareExchange(
                expected: current, desired: current + bytes, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
    }

    /// Returns `bytes` charged earlier.
    public func release(_ bytes: Int) {
        guard bytes > 0 else { return }
        used.subtract(bytes, ordering: .relaxed)
    }
}
