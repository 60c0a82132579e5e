import ChatProtocol
import Dispatch
import PersonaRuntime
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The embedded store: one SQLite database (`<data-dir>/persona.db`) in WAL mode, written by
/// a thread of its own. The only code in Persona that touches SQLite.
///
/// ## Group commit
///
/// Hubs hand over writes from their loops (``write(_:completion:)`` never blocks). The writer
/// takes every request queued since its last transaction and commits them together, so a
/// busy server pays one commit for many turns and throughput grows with load. Completions run
/// on the writer thread after the commit (the server moves them onto the hub's loop). A
/// request that fails (disk full) fails alone: the group is retried one request per
/// transaction, so requests that fit still commit. Requests are applied in the order they
/// arrived, and a ``load(_:completion:)`` sees every write queued before it.
///
/// ## Failure
///
/// A failed write makes ``isWritable`` false (`/ready` answers 503); the writer then probes
/// every ``StoreConfiguration/probeInterval`` whether a page can be allocated again and turns
/// it back to true when one can (or at the next successful commit).
///
/// ## Checkpoints and locking
///
/// The WAL is copied back into the database by a second thread with its own connection
/// (a passive checkpoint every ``StoreConfiguration/checkpointInterval``), never by a commit,
/// so the fsync a checkpoint costs never delays an acknowledgement. A second process on the
/// same file is refused at start: the store holds an exclusive `flock` on `<file>.lock`.
public final class SQLiteStore: SessionStoreBackend, @unchecked Sendable {
    /// The database file.
    public let path: String
    /// The settings in force.
    public let configuration: StoreConfiguration
    /// How many times a server has started on this database (this start included): session
    /// ids carry it so they never repeat across restarts.
    public let boot: Int

    private enum Job: Sendable {
        case write([StoreRecord], @Sendable (Result<Void, StoreFailure>) -> Void)
        case load(String, @Sendable (Result<StoredSession?, StoreFailure>) -> Void)
        case run(@Sendable () -> Void)
        case stop(DispatchSemaphore)
    }

    private struct Queue {
        var jobs: [Job] = []
        var wakePending = false
        var stopped = false
    }

    private let queue = Mutex(Queue())
    private let wake = DispatchSemaphore(value: 0)
    private let writable = Atomic<Bool>(true)
    private let statistics = Mutex(StoreStatistics())
    /// Owned by the writer thread after init.
    private let connection: SQLiteConnection
    private let statements: StoreStatements
    private let checkpointer: SQLiteConnection
    private let lockDescriptor: Int32
    private let checkpointing = Atomic<Bool>(true)
    private let checkpointStopped = DispatchSemaphore(value: 0)

    /// Opens (creating) `<directory>/persona.db`, creating `directory` with mode 0700 when
    /// missing; migrates an older schema; starts the writer thread.
    public convenience init(directory: String, configuration: StoreConfiguration = StoreConfiguration())
        throws(StoreOpenError)
    {
        try Self.prepareDirectory(directory)
        try self.init(path: directory + "/persona.db", configuration: configuration)
    }

    /// Opens (creating) the database file at `path`.
    public init(path: String, configuration: StoreConfiguration = StoreConfiguration()) throws(StoreOpenError) {
        self.path = path
        self.configuration = configuration
        lockDescriptor = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lockDescriptor >= 0, flock(lockDescriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno == EWOULDBLOCK ? "database is locked" : String(cString: strerror(errno))
            if lockDescriptor >= 0 { Glibc.close(lockDescriptor) }
            throw .sqlite(path: path, SQLiteError(code: 5, message: reason, context: "lock \(path).lock"))
        }
        do throws(SQLiteError) {
            connection = try SQLiteConnection(path: path)
            try connection.execute("PRAGMA busy_timeout = \(configuration.busyTimeout.wholeMilliseconds)")
            // Reading the header first: a file that is not a database fails here, by name.
            _ = try connection.integer("PRAGMA user_version")
            let mode = try connection.text("PRAGMA journal_mode = WAL")
            guard mode?.lowercased() == "wal" else {
                throw SQLiteError(code: 1, message: "WAL mode refused (got \(mode ?? "nothing"))", context: "open")
            }
            try connection.execute(
                "PRAGMA synchronous = \(configuration.durability == .full ? "FULL" : "NORMAL")")
            try connection.execute("PRAGMA foreign_keys = OFF")
            try connection.execute("PRAGMA wal_autocheckpoint = 0")
            if let pages = configuration.maxPageCount {
                _ = try connection.integer("PRAGMA max_page_count = \(pages)")
            }
        } catch {
            Glibc.close(lockDescriptor)
            throw .sqlite(path: path, error)
        }
        do {
            try StoreSchema.migrate(connection)
        } catch {
            Glibc.close(lockDescriptor)
            throw error
        }
        do {
            try connection.execute(
                "INSERT INTO meta (key, value) VALUES ('boot', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1")
            boot = Int(try connection.integer("SELECT value FROM meta WHERE key = 'boot'"))
            statements = try StoreStatements(connection)
            checkpointer = try SQLiteConnection(path: path)
            try checkpointer.execute("PRAGMA busy_timeout = \(configuration.busyTimeout.wholeMilliseconds)")
        } catch {
            Glibc.close(lockDescriptor)
            throw .sqlite(path: path, error)
        }
        WriterThread.start(name: "persona-store") { [self] in runWriter() }
        WriterThread.start(name: "persona-ckpt") { [self] in runCheckpointer() }
    }

    /// Creates `directory` (mode 0700) if it does not exist; refuses a path that is not a directory.
    static func prepareDirectory(_ directory: String) throws(StoreOpenError) {
        var info = stat()
        if stat(directory, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw .directory(path: directory, "not a directory") }
            return
        }
        guard mkdir(directory, 0o700) == 0 else {
            throw .directory(path: directory, "cannot create it: \(String(cString: strerror(errno)))")
        }
    }

    // MARK: SessionStoreBackend

    /// Queues a write for the next group commit.
    public func write(
        _ records: [StoreRecord], completion: @escaping @Sendable (Result<Void, StoreFailure>) -> Void
    ) {
        enqueue(.write(records, completion))
    }

    /// Queues a read behind every write queued so far.
    public func load(
        _ session: String, completion: @escaping @Sendable (Result<StoredSession?, StoreFailure>) -> Void
    ) {
        enqueue(.load(session, completion))
    }

    /// Reads one session, waiting for the writer.
    public func history(_ session: String) throws(StoreFailure) -> StoredSession? {
        try blocking { [statements] () throws(SQLiteError) in try statements.load(session) }
    }

    /// Erases one client's sessions, turns, engine states and quotas, waiting for the writer.
    public func forget(client: String) throws(StoreFailure) -> Int {
        try blocking { [statements, connection] () throws(SQLiteError) in
            try connection.execute("BEGIN IMMEDIATE")
            do throws(SQLiteError) {
                let count = try statements.forget(client: client)
                try connection.execute("COMMIT")
                return count
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Whether the last write (or probe) succeeded.
    public var isWritable: Bool { writable.load(ordering: .acquiring) }

    /// Daily counts stored for `day`.
    public func quotas(day: Int64) -> [String: Int] {
        (try? blocking { [statements] () throws(SQLiteError) in try statements.quotas(day: day) }) ?? [:]
    }

    /// Commits, transactions and failures so far.
    public var stats: StoreStatistics { statistics.withLock { $0 } }

    /// Deletes transcripts older than the retention now (also done in the background), waiting;
    /// returns the sessions deleted.
    @discardableResult
    public func prune(nowMilliseconds: Int64) throws(StoreFailure) -> Int {
        try blocking { [self] () throws(SQLiteError) in try pruneNow(nowMilliseconds) }
    }

    /// Flushes every queued request, stops the writer and closes the database. Blocks.
    public func close() {
        if checkpointing.exchange(false, ordering: .acquiringAndReleasing) { checkpointStopped.wait() }
        let done = DispatchSemaphore(value: 0)
        let accepted = queue.withLock { queue -> Bool in
            guard !queue.stopped else { return false }
            queue.stopped = true
            queue.jobs.append(.stop(done))
            return true
        }
        guard accepted else { return }
        wake.signal()
        done.wait()
    }

    // MARK: Queue

    private func enqueue(_ job: Job) {
        let (signal, refused) = queue.withLock { queue -> (Bool, Bool) in
            guard !queue.stopped else { return (false, true) }
            queue.jobs.append(job)
            guard !queue.wakePending else { return (false, false) }
            queue.wakePending = true
            return (true, false)
        }
        if refused { Self.refuse(job) }
        if signal { wake.signal() }
    }

    private static func refuse(_ job: Job) {
        let failure = StoreFailure("the store is closed")
        switch job {
        case .write(_, let completion): completion(.failure(failure))
        case .load(_, let completion): completion(.failure(failure))
        case .run(let body): body()
        case .stop(let done): done.signal()
        }
    }

    private func blocking<Value: Sendable>(_ body: @escaping @Sendable () throws(SQLiteError) -> Value) throws(StoreFailure)
        -> Value
    {
        let result = Mutex<Result<Value, StoreFailure>?>(nil)
        let done = DispatchSemaphore(value: 0)
        enqueue(
            .run {
                let outcome: Result<Value, StoreFailure>
                do { outcome = .success(try body()) } catch { outcome = .failure(StoreFailure("\(error)")) }
                result.withLock { $0 = outcome }
                done.signal()
            })
        done.wait()
        return try result.withLock { $0 ?? .failure(StoreFailure("the store is closed")) }.get()
    }

    // MARK: The writer thread

    private func runWriter() {
        var nextPrune = MonotonicMilliseconds.now()
        var nextProbe = Int64.max
        while true {
            let now = MonotonicMilliseconds.now()
            if now >= nextPrune {
                _ = try? pruneNow(WallMilliseconds.now())
                nextPrune = now + configuration.pruneInterval.wholeMilliseconds
            }
            if !isWritable, now >= nextProbe {
                if probe() { writable.store(true, ordering: .releasing) }
                nextProbe = now + configuration.probeInterval.wholeMilliseconds
            } else if isWritable {
                nextProbe = Int64.max
            } else if nextProbe == Int64.max {
                nextProbe = now + configuration.probeInterval.wholeMilliseconds
            }
            let until = min(nextPrune, nextProbe)
            let waitMilliseconds = max(1, min(until - now, 60_000))
            _ = wake.wait(timeout: .now() + .milliseconds(Int(waitMilliseconds)))
            let jobs = queue.withLock { queue -> [Job] in
                let jobs = queue.jobs
                queue.jobs.removeAll(keepingCapacity: true)
                queue.wakePending = false
                return jobs
            }
            if jobs.isEmpty { continue }
            if process(jobs) { return }
        }
    }

    /// Runs `jobs` in order: consecutive writes form one group commit. Returns true on stop.
    private func process(_ jobs: [Job]) -> Bool {
        var group: [([StoreRecord], @Sendable (Result<Void, StoreFailure>) -> Void)] = []
        func flush() {
            guard !group.isEmpty else { return }
            var start = 0
            while start < group.count {
                let end = min(group.count, start + configuration.maxGroup)
                commit(group[start..<end])
                start = end
            }
            group.removeAll(keepingCapacity: true)
        }
        for job in jobs {
            switch job {
            case .write(let records, let completion):
                group.append((records, completion))
            case .load(let id, let completion):
                flush()
                do { completion(.success(try statements.load(id))) } catch {
                    completion(.failure(StoreFailure("\(error)")))
                }
            case .run(let body):
                flush()
                body()
            case .stop(let done):
                flush()
                try? connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                statements.finalize()
                connection.close()
                Glibc.close(lockDescriptor)
                done.signal()
                return true
            }
        }
        flush()
        return false
    }

    /// Copies the WAL back into the database now and then, off the writer's path.
    private func runCheckpointer() {
        let interval = max(1, configuration.checkpointInterval.wholeMilliseconds)
        while checkpointing.load(ordering: .acquiring) {
            usleep(UInt32(min(interval, 100) * 1_000))
            let start = MonotonicMilliseconds.now()
            var waited: Int64 = 100
            while waited < interval, checkpointing.load(ordering: .acquiring) {
                usleep(100_000)
                waited = MonotonicMilliseconds.now() - start + 100
            }
            _ = try? checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")
        }
        checkpointer.close()
        checkpointStopped.signal()
    }

    /// One transaction for the whole group; on failure, one per request so the rest still commit.
    private func commit(_ group: ArraySlice<([StoreRecord], @Sendable (Result<Void, StoreFailure>) -> Void)>) {
        do {
            try connection.execute("BEGIN IMMEDIATE")
            for (records, _) in group { try statements.apply(records) }
            try connection.execute("COMMIT")
            recordCommit(requests: group.count)
            for (_, completion) in group { completion(.success(())) }
            return
        } catch {
            try? connection.execute("ROLLBACK")
        }
        for (records, completion) in group {
            do {
                try connection.execute("BEGIN IMMEDIATE")
                try statements.apply(records)
                try connection.execute("COMMIT")
                recordCommit(requests: 1)
                completion(.success(()))
            } catch {
                try? connection.execute("ROLLBACK")
                writable.store(false, ordering: .releasing)
                statistics.withLock { $0.failedWrites += 1 }
                completion(.failure(StoreFailure("\(path): \(error)")))
            }
        }
    }

    private func recordCommit(requests: Int) {
        writable.store(true, ordering: .releasing)
        statistics.withLock {
            $0.commits += 1
            $0.requests += requests
            $0.largestGroup = max($0.largestGroup, requests)
        }
    }

    /// Whether a page can be allocated now (rolled back either way).
    private func probe() -> Bool {
        do {
            try connection.execute("BEGIN IMMEDIATE")
            try connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('probe', zeroblob(8192))")
            try connection.execute("ROLLBACK")
            return true
        } catch {
            try? connection.execute("ROLLBACK")
            return false
        }
    }

    private func pruneNow(_ nowMilliseconds: Int64) throws(SQLiteError) -> Int {
        let cutoff = nowMilliseconds - configuration.retention.wholeMilliseconds
        try connection.execute("BEGIN IMMEDIATE")
        do throws(SQLiteError) {
            let count = try statements.prune(createdBefore: cutoff, dayBefore: cutoff / 86_400_000)
            try connection.execute("COMMIT")
            statistics.withLock { $0.pruned += count }
            return count
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }
}

/// What the store has done, for `/metrics` and the benchmarks.
public struct StoreStatistics: Sendable, Hashable {
    /// Transactions committed.
    public var commits = 0
    /// Write requests committed (more than ``commits`` when group commit batches them).
    public var requests = 0
    /// The most requests one transaction held.
    public var largestGroup = 0
    /// Write requests that failed.
    public var failedWrites = 0
    /// Sessions deleted by retention.
    public var pruned = 0
}

/// Milliseconds of the monotonic clock (the writer's own timing).
enum MonotonicMilliseconds {
    static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

/// Milliseconds since 1970 (retention compares stored wall times).
enum WallMilliseconds {
    static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
