import Foundation
import PersonaTestSupport
import Reactor
import Redis
import Testing

/// The client against a real `redis-server` on a loopback port.
@Suite("Redis client, live", .serialized)
struct RedisLiveTests {
    let harness: RedisLoopHarness

    init() throws {
        harness = try RedisLoopHarness()
    }

    static func url(_ server: RedisServerProcess, _ rest: String = "") -> String {
        "redis://127.0.0.1:\(server.port)\(rest)"
    }

    @Test("sends commands and reads strings, integers, nulls, maps and sets", arguments: [RESPEncoder.Version.resp2, .resp3])
    func commands(version: RESPEncoder.Version) throws {
        let server = try RedisServerProcess()
        var configuration = try RedisConfiguration(url: Self.url(server))
        configuration.protocolVersion = version
        let client = try harness.client(configuration)
        defer { harness.close(client) }
        #expect(try harness.send(client, ["SET", "greeting", "hello"]).get() == .simpleString("OK"))
        #expect(try harness.send(client, ["GET", "greeting"]).get() == .bulkString(Array("hello".utf8)))
        #expect(try harness.send(client, ["INCRBY", "counter", "41"]).get() == .integer(41))
        #expect(try harness.send(client, ["GET", "missing"]).get() == .null)
        _ = try harness.send(client, ["HSET", "h", "a", "1"]).get()
        _ = try harness.send(client, ["SADD", "s", "x"]).get()
        let hash = try harness.send(client, ["HGETALL", "h"]).get()
        let set = try harness.send(client, ["SMEMBERS", "s"]).get()
        let bytes = { (text: String) in RESPValue.bulkString(Array(text.utf8)) }
        if version == .resp3 {
            #expect(hash == .map([RESPPair(bytes("a"), bytes("1"))]))
            #expect(set == .set([bytes("x")]))
        } else {
            #expect(hash == .array([bytes("a"), bytes("1")]))
            #expect(set == .array([bytes("x")]))
        }
        #expect(throws: RedisError.server("WRONGTYPE Operation against a key holding the wrong kind of value")) {
            try harness.send(client, ["INCR", "h"]).get()
        }
    }

    @Test("keeps values binary-safe: NUL, CR, LF and a 1 MiB value come back byte for byte")
    func binarySafe() throws {
        let server = try RedisServerProcess()
        let client = try harness.client(try RedisConfiguration(url: Self.url(server)))
        defer { harness.close(client) }
        var generator = SeededGenerator(seed: 21)
        let value = [0, 13, 10, 255] + (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let key = Array("blob".utf8)
        let set: Result<RESPValue, RedisError> = try harness.run { done in
            client.value.send(bytes: [Array("SET".utf8), key, value]) { done($0) }
        }
        #expect(try set.get() == .simpleString("OK"))
        let get: Result<RESPValue, RedisError> = try harness.run { done in
            client.value.send(bytes: [Array("GET".utf8), key]) { done($0) }
        }
        #expect(try get.get() == .bulkString(value))
    }

    @Test("pipelines 10,000 commands sent without waiting and gets every reply in order")
    func pipelining() throws {
        let server = try RedisServerProcess()
        let client = try harness.client(try RedisConfiguration(url: Self.url(server)))
        defer { harness.close(client) }
        _ = try harness.send(client, ["PING"]).get()
        let count = 10_000
        let replies: [Int64] = try harness.run("pipeline", seconds: 20) { done in
            var seen: [Int64] = []
            for _ in 0..<count {
                client.value.send(["INCR", "n"]) { result in
                    seen.append((try? result.get())?.int ?? -1)
                    if seen.count == count { done(seen) }
                }
            }
            // All of them are in flight at once: nothing has been answered yet.
            if client.value.pendingCount != count { done([]) }
        }
        #expect(replies == (1...Int64(count)).map { $0 })
    }

    @Test("authenticates with an ACL user and password, and names a refused login", arguments: [RESPEncoder.Version.resp2, .resp3])
    func authentication(version: RESPEncoder.Version) throws {
        let server = try RedisServerProcess(arguments: ["--user", "alice", "on", ">s3cret", "~*", "&*", "+@all", "--user", "default", "off"])
        var configuration = try RedisConfiguration(url: Self.url(server).replacingOccurrences(of: "//", with: "//alice:s3cret@"))
        configuration.protocolVersion = version
        let client = try harness.client(configuration)
        defer { harness.close(client) }
        #expect(try harness.send(client, ["ACL", "WHOAMI"]).get().string == "alice")

        configuration.password = "wrong"
        let refused = try harness.client(configuration)
        defer { harness.close(refused) }
        let outcome = try harness.send(refused, ["PING"])
        guard case .failure(.unavailable(let retryAfter, let reason)) = outcome else {
            Issue.record("expected unavailable, got \(outcome)")
            return
        }
        #expect(reason.contains("WRONGPASS"), "\(reason)")
        #expect(retryAfter > .zero)
        let status: RedisClient.Status = try harness.run { done in done(refused.value.status) }
        guard case .waiting(.authentication) = status else {
            Issue.record("expected waiting after an authentication error, got \(status)")
            return
        }
    }

    @Test("selects the database the URL names")
    func selectsDatabase() throws {
        let server = try RedisServerProcess()
        let three = try harness.client(try RedisConfiguration(url: Self.url(server, "/3")))
        let zero = try harness.client(try RedisConfiguration(url: Self.url(server)))
        defer {
            harness.close(three)
            harness.close(zero)
        }
        _ = try harness.send(three, ["SET", "where", "three"]).get()
        #expect(try harness.send(three, ["GET", "where"]).get().string == "three")
        #expect(try harness.send(zero, ["GET", "where"]).get() == .null)
        #expect(try harness.send(zero, ["SELECT", "3"]).get() == .simpleString("OK"))
        #expect(try harness.send(zero, ["GET", "where"]).get().string == "three")
    }

    @Test("fails a command that gets no reply within the command timeout, then reconnects")
    func commandTimeout() throws {
        let server = try RedisServerProcess()
        var configuration = try RedisConfiguration(url: Self.url(server))
        configuration.commandTimeout = .milliseconds(200)
        let client = try harness.client(configuration)
        defer { harness.close(client) }
        _ = try harness.send(client, ["PING"]).get()
        #expect(throws: RedisError.timeout(.milliseconds(200))) {
            try harness.send(client, ["BLPOP", "never-filled", "5"]).get()
        }
        try harness.wait("reconnected") { client.value.connectionsMade == 2 && client.value.isReady }
        #expect(try harness.send(client, ["PING"]).get() == .simpleString("PONG"))
    }

    @Test("fails at once with unavailable and a retry time while no server listens")
    func noServer() throws {
        var configuration = RedisConfiguration(port: try RedisServerProcess.freePort())
        configuration.backoff = RedisBackoff(base: .seconds(2), cap: .seconds(2))
        let client = try harness.client(configuration)
        defer { harness.close(client) }
        // The first attempt's held command learns it failed; the next ones fail at once.
        for _ in 0..<2 {
            let outcome = try harness.send(client, ["PING"], seconds: 3)
            guard case .failure(let error) = outcome, case .unavailable = error else {
                Issue.record("expected unavailable, got \(outcome)")
                return
            }
            let milliseconds = error.retryAfterMilliseconds ?? 0
            #expect(milliseconds >= 1 && milliseconds <= 2000, "\(milliseconds)")
        }
    }

    @Test("refuses one command more than maxPendingCommands")
    func pendingLimit() throws {
        let server = try RedisServerProcess()
        var configuration = try RedisConfiguration(url: Self.url(server))
        configuration.maxPendingCommands = 3
        let client = try harness.client(configuration)
        defer { harness.close(client) }
        _ = try harness.send(client, ["PING"]).get()
        let outcomes: [String] = try harness.run { done in
            var results: [String] = []
            for _ in 0..<4 {
                client.value.send(["PING"]) { result in
                    results.append((try? result.get())?.string ?? "\(result)")
                    if results.count == 4 { done(results) }
                }
            }
        }
        // The fourth fails synchronously, before the first three are answered.
        #expect(outcomes == ["\(Result<RESPValue, RedisError>.failure(.tooManyPending(limit: 3)))", "PONG", "PONG", "PONG"])
    }

    @Test("delivers published messages to a subscriber on its own connection", arguments: [RESPEncoder.Version.resp2, .resp3])
    func pubSub(version: RESPEncoder.Version) throws {
        let server = try RedisServerProcess()
        var configuration = try RedisConfiguration(url: Self.url(server))
        configuration.protocolVersion = version
        let publisher = try harness.client(configuration)
        defer { harness.close(publisher) }
        let inbox = Locked<[String]>([])
        let subscriber = try harness.subscribe(configuration, to: ["node:a", "node:b"], inbox: inbox)
        defer { _ = try? harness.run { (done: @escaping @Sendable (Bool) -> Void) in subscriber.value.close(); done(true) } }
        #expect(try harness.send(publisher, ["PUBLISH", "node:a", "hello a"]).get() == .integer(1))
        #expect(try harness.send(publisher, ["PUBLISH", "node:b", "hello b"]).get() == .integer(1))
        #expect(try harness.send(publisher, ["PUBLISH", "node:c", "nobody"]).get() == .integer(0))
        try harness.wait("two messages") { inbox.withLock { $0.count } == 2 }
        #expect(inbox.withLock { $0 } == ["node:a hello a", "node:b hello b"])
        // Unsubscribing stops delivery.
        let unsubscribed: Bool = try harness.run { done in
            subscriber.value.unsubscribe(["node:a"])
            done(true)
        }
        #expect(unsubscribed)
        var subscribers: Int64 = -1
        for _ in 0..<500 where subscribers != 0 {
            subscribers = try harness.send(publisher, ["PUBSUB", "NUMSUB", "node:a"]).get().elements?.last?.int ?? -1
        }
        #expect(subscribers == 0)
        #expect(try harness.send(publisher, ["PUBLISH", "node:b", "still here"]).get() == .integer(1))
    }
}
