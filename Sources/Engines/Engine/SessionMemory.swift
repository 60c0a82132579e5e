/// What an engine that talks to something outside (an upstream model, a plugin process)
/// remembers about one session: the last exchanges, oldest first, and a random generator for
/// picking a fallback or greeting line. Each pick depends only on the session's seed and the
/// picks before it, so a replay with the same seed picks the same lines.
struct SessionMemory<Exchange> {
    /// Earlier exchanges, oldest first; at most `capacity` kept.
    private(set) var history: [Exchange] = []
    /// How many exchanges are kept.
    let capacity: Int
    private var random: UInt64

    init(seed: UInt64, capacity: Int) {
        self.capacity = capacity
        random = seed | 1
    }

    /// Keeps `exchange`, forgetting the oldest past the capacity.
    mutating func remember(_ exchange: Exchange) {
        history.append(exchange)
        if history.count > capacity { history.removeFirst() }
    }

    /// An index below `count` (xorshift64; 0 when `count` is 0 or 1).
    mutating func pick(_ count: Int) -> Int {
        random ^= random << 13
        random ^= random >> 7
        random ^= random << 17
        return Int(random % UInt64(max(1, count)))
    }
}
