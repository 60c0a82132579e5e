import ChatProtocol
import Foundation
import PersonaRuntime
import PersonaTestSupport
import Reactor
import Redis
import Store
import Synchronization
import Testing

/// The Redis session store's one-call turn write against a real redis-server: stored, then
/// published; nothing published when the write fails; `NOSCRIPT` answered with `EVAL`.
@Suite("the Redis store's turn script against a real redis-server", .serialized)
struct RedisTurnScriptLiveTests {
    let harness: RedisLoopHarness

    init() throws {
        harness = try RedisLoopHarness()
    }

    /// Writes and waits (with a deadline) for the outcome.
    func write(
        _ store: RedisSessionStore, _ records: [StoreRecord], publishing publication: StorePublication? = nil
    ) throws -> Result<Int, StoreFailure> {
        try harness.run("store write", seconds: 10) { done in
            if let publication {
                store.write(records, publishing: publication) { done($0) }
            } else {
                store.write(records) { done($0.map { 0 }) }
            }
        }
    }

    func turn(_ id: String, _ seq: Int) -> StoreRecord {
        .turn(StoredTurn(session: id, seq: seq, role: .user, text: "m\(seq)", ref: "m\(seq)", atMilliseconds: 2_000))
    }

    /// `calls` of `INFO commandstats` per command name (`evalsha`, `multi`, …).
    func commandCalls(_ client: LoopBound<RedisClient>) throws -> [String: Int] {
        let text = try harness.send(client, ["INFO", "commandstats"]).get().string ?? ""
        var calls: [String: Int] = [:]
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("cmdstat_") {
            let name = line.dropFirst("cmdstat_".count).prefix { $0 != ":" }
            let count = line.split(separator: ",").first?.split(separator: "=").last.flatMap { Int($0) } ?? 0
            calls[String(name)] = count
        }
        return calls
    }

    @Test("a turn write with a relay is one script call: stored, then published to the partner node's subscriber, with its count")
    func storedThenPublished() throws {
        let server = try RedisServerProcess()
        let redis = try RedisConfiguration(url: "redis://127.0.0.1:\(server.port)")
        let store = try RedisSessionStore(redis: redis, node: "a", retention: .seconds(600))
        defer { store.close() }
        let client = try harness.client(redis)
        defer { harness.close(client) }
        let inbox = Locked<[String]>([])
        let subscriber = try harness.subscribe(redis, to: ["persona:node:b:mail"], inbox: inbox)
        defer { _ = try? harness.run { done in subscriber.value.close(); done(true) } }
        _ = try harness.send(client, ["CONFIG", "RESETSTAT"]).get()
        let relay = StorePublication(channel: "persona:node:b:mail", payload: Array("hello b".utf8))
        #expect(try write(store, [turn("s0-1-1", 1)], publishing: relay) == .success(1))
        try harness.wait("the relay arrived") { inbox.value == ["persona:node:b:mail hello b"] }
        #expect(try store.history("s0-1-1")?.turns.map(\.seq) == [1])
        for key in [store.keys.session("s0-1-1"), store.keys.turns("s0-1-1")] {
            let ttl = try harness.send(client, ["PTTL", key]).get().int ?? -1
            #expect(key.hasSuffix(":session") || (590_000...600_000).contains(ttl), "\(key) PTTL \(ttl)")
        }
        let calls = try commandCalls(client)
        #expect(calls["multi"] == nil && calls["exec"] == nil, "no transaction: \(calls)")
        #expect((calls["eval"] ?? 0) + (calls["evalsha"] ?? 0) == 1, "one script call: \(calls)")
        #expect(calls["publish"] == 1 && calls["xadd"] == 1)
        // Nobody listens on another channel: stored, and the count says so.
        #expect(try write(store, [turn("s0-1-1", 2)], publishing: StorePublication(channel: "persona:node:c:mail", payload: [1])) == .success(0))
        #expect(try store.history("s0-1-1")?.turns.map(\.seq) == [1, 2])
        #expect(store.stats.scripts == 2)
    }

    @Test("a write that fails publishes nothing: the partner never hears a message that was not stored")
    func failedWritePublishesNothing() throws {
        let server = try RedisServerProcess()
        let redis = try RedisConfiguration(url: "redis://127.0.0.1:\(server.port)")
        let store = try RedisSessionStore(redis: redis, node: "a", retention: .seconds(600))
        defer { store.close() }
        let client = try harness.client(redis)
        defer { harness.close(client) }
        let inbox = Locked<[String]>([])
        let subscriber = try harness.subscribe(redis, to: ["persona:node:b:mail"], inbox: inbox)
        defer { _ = try? harness.run { done in subscriber.value.close(); done(true) } }
        // The stream key holds a string: XADD fails inside the script, before PUBLISH.
        _ = try harness.send(client, ["SET", store.keys.turns("s0-1-9"), "not a stream"]).get()
        let relay = StorePublication(channel: "persona:node:b:mail", payload: Array("lost".utf8))
        guard case .failure(let failure) = try write(store, [turn("s0-1-9", 1)], publishing: relay) else {
            Issue.record("a write into a wrong-typed key succeeded")
            return
        }
        #expect(failure.message.contains("WRONGTYPE"), "\(failure)")
        #expect(try write(store, [turn("s0-1-8", 1)], publishing: StorePublication(channel: "persona:node:b:mail", payload: Array("kept".utf8))) == .success(1))
        try harness.wait("the stored one arrived") { inbox.value.count == 1 }
        #expect(inbox.value == ["persona:node:b:mail kept"], "only the stored message was published")
    }

    @Test("after SCRIPT FLUSH the next call answered NOSCRIPT is sent once as EVAL, stored, and EVALSHA works again")
    func noScriptFallsBackToEval() throws {
        let server = try RedisServerProcess()
        let redis = try RedisConfiguration(url: "redis://127.0.0.1:\(server.port)")
        let store = try RedisSessionStore(redis: redis, node: "a", retention: .seconds(600))
        defer { store.close() }
        let client = try harness.client(redis)
        defer { harness.close(client) }
        #expect(try write(store, [turn("s0-1-1", 1)]) == .success(0))
        #expect(try write(store, [turn("s0-1-1", 2)]) == .success(0))
        #expect((try commandCalls(client)["evalsha"] ?? 0) >= 1, "the digest is used once SCRIPT LOAD answered")
        #expect(store.stats.scriptFallbacks == 0)
        _ = try harness.send(client, ["SCRIPT", "FLUSH"]).get()
        #expect(try write(store, [turn("s0-1-1", 3)]) == .success(0))
        #expect(store.stats.scriptFallbacks == 1)
        #expect(try write(store, [turn("s0-1-1", 4)]) == .success(0))
        #expect(store.stats.scriptFallbacks == 1, "the EVAL cached the script again")
        #expect(try store.history("s0-1-1")?.turns.map(\.seq) == [1, 2, 3, 4])
        #expect(store.stats.failedWrites == 0)
    }
}
