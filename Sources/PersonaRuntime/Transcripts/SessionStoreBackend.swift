/// A store every hub of a process shares (SQLite, or memory for `--store memory`), safe to
/// call from any thread. The server adapts it to each hub's ``TranscriptStore`` by delivering
/// completions on the hub's loop.
public protocol SessionStoreBackend: AnyObject, Sendable {
    /// Stores `records` atomically and in order with earlier writes; `completion` runs on any thread.
    func write(_ records: [StoreRecord], completion: @escaping @Sendable (Result<Void, StoreFailure>) -> Void)
    /// Reads one session after every earlier write; `completion` runs on any thread.
    func load(_ session: String, completion: @escaping @Sendable (Result<StoredSession?, StoreFailure>) -> Void)
    /// One session's transcript, blocking (admin API and `persona history`; call off the loops).
    func history(_ session: String) throws(StoreFailure) -> StoredSession?
    /// Erases every session, turn and quota of `client`, blocking; returns the sessions erased.
    func forget(client: String) throws(StoreFailure) -> Int
    /// Whether the last write (or probe) succeeded: `/ready` answers 503 while it is false.
    var isWritable: Bool { get }
    /// Daily message counts stored for `day` (UTC days since 1970), to seed the quota after a restart.
    func quotas(day: Int64) -> [String: Int]
}
