import Synchronization

/// Upstream token usage counted per personality, client and tenant, for `/metrics`. Shared by
/// every loop (one lock, taken once per finished request).
public final class LLMUsage: Sendable {
    /// What a usage line is keyed by.
    public struct Key: Hashable, Sendable {
        /// The personality id.
        public var personality: String
        /// The client (API key or address); `other` once ``maxKeys`` is reached.
        public var client: String
        /// The tenant, or "" for none.
        public var tenant: String
    }

    /// Counters of one key.
    public struct Counts: Hashable, Sendable {
        /// Requests that got an answer.
        public var requests = 0
        /// Requests that failed (the fallback answered).
        public var failures = 0
        /// Prompt tokens.
        public var promptTokens = 0
        /// Completion tokens.
        public var completionTokens = 0
    }

    /// Most distinct keys kept; later clients are counted under `other` (metric cardinality).
    public let maxKeys: Int
    private let table = Mutex<[Key: Counts]>([:])

    /// Creates an empty ledger.
    public init(maxKeys: Int = 10_000) {
        self.maxKeys = maxKeys
    }

    /// Adds one request's outcome.
    public func record(
        personality: String, client: String, tenant: String?, prompt: Int, completion: Int, failed: Bool
    ) {
        table.withLock { table in
            var key = Key(personality: personality, client: client, tenant: tenant ?? "")
            if table[key] == nil, table.count >= maxKeys { key.client = "other" }
            var counts = table[key] ?? Counts()
            if failed { counts.failures += 1 } else { counts.requests += 1 }
            counts.promptTokens += prompt
            counts.completionTokens += completion
            table[key] = counts
        }
    }

    /// Every line, sorted for stable output.
    public func snapshot() -> [(key: Key, counts: Counts)] {
        table.withLock { $0.map { ($0.key, $0.value) } }.sorted {
            ($0.key.personality, $0.key.client, $0.key.tenant) < ($1.key.personality, $1.key.client, $1.key.tenant)
        }
    }
}
