import ChatProtocol
import Dispatch
import Foundation
import PersonaRuntime
import PersonaTestSupport
import Redis
import Store
import Synchronization
import Testing

/// Calls one of the store's asynchronous methods and waits (with a deadline) for its answer.
private func answer<Value: Sendable>(
    _ body: (@escaping @Sendable (Result<Value, StoreFailure>) -> Void) -> Void
) throws -> Result<Value, StoreFailure> {
    let box = Mutex<Result<Value, StoreFailure>?>(nil)
    let waiter = Waiter()
    body { result in
        box.withLock { $0 = result }
        waiter.signal()
    }
    guard waiter.wait(seconds: 10), let result = box.withLock({ $0 }) else {
        throw RedisLoopHarness.TimedOut(what: "store answer")
    }
    return result
}

/// Writes and waits; whether the write succeeded.
private func wrote(_ store: RedisSessionStore, _ records: [StoreRecord]) throws -> Bool {
    try answer { store.write(records, completion: $0) }.map { true }.get()
}

private func header(_ id: String, client: String) -> StoredSessionHeader {
    StoredSessionHeader(
        id: id, kind: .bot, personalityID: "parrot", personalityVersion: "1", clientKey: client,
        createdAtMilliseconds: 1_000, resumeTokenHash: "hash-\(id)")
}

private func turn(_ id: String, _ seq: Int) -> StoreRecord {
    .turn(StoredTurn(session: id, seq: seq, role: .user, text: "m\(seq)", ref: "m\(seq)", atMilliseconds: 2_000))
}

/// Polls `condition` every 10 ms for up to `seconds`.
private func eventually(seconds: Double = 10, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

@Suite("the Redis session store against a real redis-server", .serialized)
struct RedisSessionStoreLiveTests {
    @Test("what one store writes another store on the same Redis loads: header, turns, engine state, end")
    func sharedBetweenStores() throws {
        let server = try RedisServerProcess()
        let redis = try RedisConfiguration(url: "redis://127.0.0.1:\(server.port)")
        let a = try RedisSessionStore(redis: redis, node: "a", retention: .seconds(3_600))
        let b = try RedisSessionStore(redis: redis, node: "b", retention: .seconds(3_600))
        defer {
            a.close()
            b.close()
        }
        #expect(try a.boot() == 1)
        #expect(try b.boot() == 2, "every start takes its own epoch, so session ids never repeat across nodes")
        let records: [StoreRecord] = [
            .session(header("s0-1-1", client: "c1")), turn("s0-1-1", 1),
            .engineState(session: "s0-1-1", EngineSnapshot(variables: ["name": "Ann"], topic: "t", random: 9), replies: 1),
            turn("s0-1-1", 2),
        ]
        #expect(try wrote(a, records))
        var expected = StoredSession(header: header("s0-1-1", client: "c1"))
        for record in records { expected.apply(record) }
        #expect(try answer { b.load("s0-1-1", completion: $0) } == .success(expected))
        #expect(try b.history("s0-1-1") == expected)
        #expect(try answer { b.load("s9-9-9", completion: $0) } == .success(nil))
        #expect(try wrote(b, [.ended(session: "s0-1-1", reason: .user, atMilliseconds: 5)]))
        #expect(try a.history("s0-1-1")?.endReason == .user)
    }

    @Test("a session's keys expire after the retention; forget erases a client's sessions and counts")
    func retentionAndForget() throws {
        let server = try RedisServerProcess()
        let redis = try RedisConfiguration(url: "redis://127.0.0.1:\(server.port)")
        let store = try RedisSessionStore(redis: redis, node: "a", retention: .seconds(120))
        defer { store.close() }
        let today = Int64(Date().timeIntervalSince1970 * 1000) / 86_400_000
        let written = try wrote(
            store,
                [
                    .session(header("s0-1-1", client: "c1")), turn("s0-1-1", 1),
                    .session(header("s0-1-2", client: "c1")), .session(header("s0-1-3", client: "c2")),
                    .quota(client: "c1", day: today, count: 8), .quota(client: "c2", day: today, count: 3),
                ])
        #expect(written)
        let harness = try RedisLoopHarness()
        let client = try harness.client(redis)
        defer { harness.close(client) }
        for key in [store.keys.session("s0-1-1"), store.keys.turns("s0-1-1")] {
            let ttl = try harness.send(client, ["PTTL", key]).get().int ?? -1
            #expect((110_000...120_000).contains(ttl), "\(key) PTTL \(ttl)")
        }
        // A lower count from another node never lowers the stored one.
        #expect(try wrote(store, [.quota(client: "c1", day: today, count: 5)]))
        #expect(store.quotas(day: today) == ["c1": 8, "c2": 3])
        #expect(try store.forget(client: "c1") == 2)
        #expect(try store.history("s0-1-1") == nil)
        #expect(try store.history("s0-1-2") == nil)
        #expect(try store.history("s0-1-3") != nil)
        #expect(store.quotas(day: today) == ["c2": 3])
    }

    @Test("Redis killed: writes fail with a retry time and isWritable turns false; restarted: writable again with no traffic")
    func outageAndRecovery() throws {
        let server = try RedisServerProcess()
        var redis = try RedisConfiguration(url: "redis://127.0.0.1:\(server.port)")
        redis.backoff = RedisBackoff(base: .milliseconds(20), cap: .milliseconds(200))
        let store = try RedisSessionStore(redis: redis, node: "a", retention: .seconds(60))
        defer { store.close() }
        _ = try store.boot()
        #expect(store.isWritable)
        server.kill()
        #expect(eventually { !store.isWritable }, "the lost connection alone makes the store unwritable")
        let failed = try answer { store.write([turn("s0-1-1", 1)], completion: $0) }
        guard case .failure(let failure) = failed else {
            Issue.record("a write succeeded with Redis down")
            return
        }
        #expect((failure.retryAfterMilliseconds ?? 0) > 0, "\(failure)")
        #expect(failure.message.contains("127.0.0.1:\(server.port)"))
        #expect(throws: StoreFailure.self) { try store.history("s0-1-1") }
        #expect(store.stats.failedWrites == 1)
        try server.start()
        #expect(eventually { store.isWritable }, "writable again once the client reconnected, without any write")
        #expect(try wrote(store, [turn("s0-1-1", 1)]))
        #expect(store.stats.connects == 2)
    }
}
