import ChatProtocol
import Foundation
import PersonaRuntime
import Synchronization
import Observability
import Testing

@testable import Store

/// A fresh directory under the system's temporary directory, removed by `cleanup()`.
struct ScratchDirectory {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("persona-store-\(UUID().uuidString)").path
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// A header for session `id`.
/// Now, in milliseconds since 1970 (the store prunes by wall time).
let wallNow = Int64(Date().timeIntervalSince1970 * 1000)

func header(_ id: String, client: String = "10.0.0.1", createdAt: Int64 = wallNow) -> StoredSessionHeader {
    StoredSessionHeader(
        id: id, kind: .bot, personalityID: "parrot", personalityVersion: "v1", clientKey: client,
        createdAtMilliseconds: createdAt, resumeTokenHash: "hash-\(id)")
}

func userTurn(_ session: String, _ seq: Int, _ text: String = "hello") -> StoreRecord {
    .turn(StoredTurn(session: session, seq: seq, role: .user, text: text, ref: "m\(seq)", atMilliseconds: 2_000))
}

/// Writes and waits for the answer.
func write(_ store: SQLiteStore, _ records: [StoreRecord]) -> Result<Void, StoreFailure> {
    let result = Mutex<Result<Void, StoreFailure>?>(nil)
    let done = DispatchSemaphore(value: 0)
    store.write(records) { outcome in
        result.withLock { $0 = outcome }
        done.signal()
    }
    done.wait()
    return result.withLock { $0! }
}

@Suite("the SQLite store")
struct SQLiteStoreTests {
    @Test("creates its data directory with mode 0700 and keeps what was written across a reopen")
    func reopen() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanup() }
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        let directory = scratch.path + "/data"
        let store = try SQLiteStore(directory: directory)
        let mode = try FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        _ = write(store, [.session(header("s0-1-1")), userTurn("s0-1-1", 1)])
        let snapshot = EngineSnapshot(variables: ["name": "Jack"], topic: "island", inputs: ["a"], replies: ["b"], random: .max)
        _ = write(store, [.engineState(session: "s0-1-1", snapshot, replies: 1), .ended(session: "s0-1-1", reason: .idle, atMilliseconds: 5)])
        #expect(store.boot == 1)
        store.close()
        let again = try SQLiteStore(directory: directory)
        defer { again.close() }
        #expect(again.boot == 2)
        let loaded = try again.history("s0-1-1")
        #expect(loaded?.turns.map(\.text) == ["hello"])
        #expect(loaded?.engine == snapshot)
        #expect(loaded?.endReason == .idle)
        #expect(loaded?.header == header("s0-1-1"))
    }

    @Test("many writers' requests are committed in fewer transactions than requests (group commit)")
    func groupCommit() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanup() }
        let store = try SQLiteStore(directory: scratch.path)
        defer { store.close() }
        let done = DispatchSemaphore(value: 0)
        let count = 2_000
        _ = write(store, [.session(header("s"))])
        for seq in 1...count {
            store.write([userTurn("s", seq)]) { _ in done.signal() }
        }
        for _ in 1...count { done.wait() }
        let stats = store.stats
        #expect(stats.requests == count + 1)
        #expect(stats.commits < count)
        #expect(try store.history("s")?.turns.map(\.seq) == Array(1...count))
    }

    @Test("a database from schema version 1 is migrated at start and keeps its sessions")
    func migratesVersionOne() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanup() }
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        let path = scratch.path + "/persona.db"
        do {
            let old = try SQLiteConnection(path: path)
            try StoreSchema.migrate(old, to: 1)
            try old.execute(
                """
                INSERT INTO sessions (id, kind, client_key, state, created_at, resume_token_hash)
                VALUES ('s0-7', 'bot', 'k', 'active', \(wallNow), 'h');
                INSERT INTO turns (session, seq, role, text, at) VALUES ('s0-7', 1, 'user', 'from v1', 1);
                """)
            #expect(try old.integer("PRAGMA user_version") == 1)
            #expect(try old.integer("SELECT count(*) FROM turns") == 1)
            old.close()
        }
        let store = try SQLiteStore(path: path)
        defer { store.close() }
        #expect(try store.history("s0-7")?.turns.map(\.text) == ["from v1"])
        let snapshot = EngineSnapshot(topic: "after")
        #expect((try? write(store, [.engineState(session: "s0-7", snapshot, replies: 3)]).get()) != nil)
        #expect(try store.history("s0-7")?.replies == 3)
    }

    @Test("a database from a newer schema version is refused with a message naming the file")
    func refusesNewer() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanup() }
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        let path = scratch.path + "/persona.db"
        let newer = try SQLiteConnection(path: path)
        try newer.execute("PRAGMA user_version = \(StoreSchema.current + 1)")
        newer.close()
        #expect {
            try SQLiteStore(path: path)
        } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("newer than this build")
        }
    }

    @Test("a corrupt database file is refused at start with a message naming the file")
    func refusesCorrupt() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanup() }
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        let path = scratch.path + "/persona.db"
        try Data(repeating: 0x5A, count: 8_192).write(to: URL(fileURLWithPath: path))
        #expect {
            try SQLiteStore(path: path)
        } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("not a usable database")
        }
    }

    @Test("when the database is full writes fail, it reports not writable, and recovers once space returns")
    func fullAndRecovery() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanup() }
        var configuration = StoreConfiguration(probeInterval: .milliseconds(20))
        configuration.maxPageCount = 24
        let store = try SQLiteStore(directory: scratch.path, configuration: configuration)
        defer { store.close() }
        var seq = 0
        var failure: StoreFailure?
        let text = String(repeating: "x", count: 1_000)
        while failure == nil, seq < 10_000 {
            seq += 1
            if case .failure(let error) = write(store, [.session(header("s\(seq)", client: "filler")), userTurn("s\(seq)", 1, text)]) {
                failure = error
            }
        }
        #expect(failure != nil, "24 pages never filled")
        #expect(!store.isWritable)
        // Everything acknowledged before the failure is still there.
        #expect(try store.history("s\(seq - 1)")?.turns.count == 1)
        #expect(try store.history("s\(seq)") == nil)
        _ = try store.forget(client: "filler")
        let deadline = Date().addingTimeInterval(5)
        while !store.isWritable, Date() < deadline { usleep(10_000) }
        #expect(store.isWritable, "the probe did not notice the freed space")
        #expect((try? write(store, [.session(header("after")), userTurn("after", 1)]).get()) != nil)
    }

    @Test("retention deletes sessions created before the cutoff and keeps newer ones")
    func retention() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanup() }
        let store = try SQLiteStore(directory: scratch.path, configuration: StoreConfiguration(retention: .seconds(3_600)))
        defer { store.close() }
        _ = write(store, [.session(header("old", createdAt: wallNow - 3_601_000)), userTurn("old", 1)])
        _ = write(store, [.session(header("new", createdAt: wallNow - 3_599_000)), userTurn("new", 1)])
        try store.prune(nowMilliseconds: wallNow)
        #expect(store.stats.pruned == 1)
        #expect(try store.history("old") == nil)
        #expect(try store.history("new")?.turns.count == 1)
    }

    @Test("forget erases every session of one client key and nothing of another")
    func forget() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanup() }
        let store = try SQLiteStore(directory: scratch.path)
        defer { store.close() }
        _ = write(store, [.session(header("a", client: "alice")), userTurn("a", 1), .quota(client: "alice", day: 3, count: 2)])
        _ = write(store, [.session(header("b", client: "bob")), userTurn("b", 1)])
        #expect(try store.forget(client: "alice") == 1)
        #expect(try store.history("a") == nil)
        #expect(store.quotas(day: 3).isEmpty)
        #expect(try store.history("b")?.turns.count == 1)
    }
}

@Suite("the SQLite store's metrics")
struct StoreMetricsTests {
    @Test("/metrics families count the committed writes and the failed ones")
    func families() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanup() }
        let store = try SQLiteStore(directory: scratch.path)
        defer { store.close() }
        #expect(throws: Never.self) { try write(store, [.session(header("s1")), userTurn("s1", 1)]).get() }
        #expect(throws: Never.self) { try write(store, [userTurn("s1", 2)]).get() }
        var out = PrometheusExposition()
        StoreMetrics.render(store.stats, into: &out)
        #expect(out.text.contains("persona_store_writes_total 2\n"))
        #expect(out.text.contains("persona_store_failed_writes_total 0\n"))
        #expect(out.text.contains("# TYPE persona_store_commits_total counter"))
    }
}
