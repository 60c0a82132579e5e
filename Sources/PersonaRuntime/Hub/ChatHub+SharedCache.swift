import Engines
import Policies

/// A reply waiting for the shared cache's answer.
struct SharedCacheWait {
    var session: String
    var reply: Int
    var text: String
}

/// The response cache shared by several nodes (README → "Several nodes (Redis)"): after the
/// hub's own cache misses, the reply waits for one lookup in the shared cache; a hit streams the
/// other node's reply, a miss (or a cache that cannot answer) runs the engine as usual.
extension ChatHub {
    /// Asks the shared cache for `reply`; true when the reply now waits for the answer.
    func askSharedCache(
        _ session: ChatSession, _ reply: ReplyInProgress, key: ResponseCacheKey, state: ScriptSessionState?,
        text: String
    ) -> Bool {
        guard let shared = sharedCache else { return false }
        let sharedKey = Self.sharedCacheKey(key, stateDigest: Self.stableStateDigest(state))
        reply.sharedCacheKey = sharedKey
        nextTicket += 1
        let ticket = StoreTicket(nextTicket)
        pendingSharedCache[ticket] = SharedCacheWait(session: session.id, reply: reply.number, text: text)
        shared.lookup(sharedKey, ticket: ticket)
        return true
    }

    /// The shared cache answered the lookup made with `ticket`: the cached tokens, or nil.
    public func sharedCacheAnswered(_ ticket: StoreTicket, _ tokens: [String]?) -> [HubAction] {
        run { now in
            guard let wait = pendingSharedCache.removeValue(forKey: ticket), let session = sessions[wait.session],
                let reply = session.reply, reply.number == wait.reply, !reply.sourceDone
            else { return }
            guard let tokens, !tokens.isEmpty else { return produceReply(session, reply, text: wait.text, now: now) }
            counters.cacheHits += 1
            counters.cacheMisses -= 1
            reply.tokens = tokens
            reply.sourceDone = true
            reply.fromCache = true
            pump(session, now: now)
        }
    }

    /// The shared key: the hex SHA-256 of the key's parts (personality, version, scope,
    /// normalised input) and a state digest that is the same in every process.
    package static func sharedCacheKey(_ key: ResponseCacheKey, stateDigest: String) -> String {
        let text = [key.personality, key.version, key.scope, key.input, stateDigest].joined(separator: "\u{0}")
        return Self.hex(SHA256.hash(Array(text.utf8)))
    }

    /// What ``stateDigest(_:)`` covers (variables, topic, recent inputs and replies), hashed
    /// with SHA-256 instead of the per-process seeded `Hasher`, so two nodes agree.
    package static func stableStateDigest(_ state: ScriptSessionState?) -> String {
        guard let state else { return "" }
        var parts: [String] = []
        for key in state.variables.keys.sorted() { parts += [key, state.variables[key] ?? ""] }
        parts.append("\u{1}" + state.topic)
        parts.append("\u{1}" + state.inputs.joined(separator: "\u{2}"))
        parts.append("\u{1}" + state.replies.joined(separator: "\u{2}"))
        return hex(SHA256.hash(Array(parts.joined(separator: "\u{0}").utf8)))
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}
