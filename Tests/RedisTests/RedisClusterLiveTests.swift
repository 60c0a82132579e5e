import Foundation
import PersonaTestSupport
import Reactor
import Redis
import Testing

/// The cluster client against a real three-master Redis Cluster on loopback ports.
@Suite(
    "Redis Cluster client, live",
    .enabled(
        if: RedisClusterProcess.available,
        "redis-server and redis-cli are not installed (apt-get install redis-server)"),
    .serialized)
struct RedisClusterLiveTests {
    let harness: RedisLoopHarness

    init() throws {
        harness = try RedisLoopHarness()
    }

    /// Makes and starts a cluster client on the harness loop, waiting until it is ready.
    private func client(_ cluster: RedisClusterProcess, seeds: [Int]? = nil, maxRedirects: Int = 5) throws
        -> LoopBound<RedisClusterClient>
    {
        let loop = harness.loop
        let configurations = try (seeds ?? cluster.ports).map { port in
            var configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(port)")
            configuration.maxRedirects = maxRedirects
            configuration.commandTimeout = .seconds(3)
            return configuration
        }
        let client: LoopBound<RedisClusterClient> = try harness.run { done in
            let client = RedisClusterClient(seeds: configurations, loop: loop)
            client.start()
            done(LoopBound(client, loop: loop))
        }
        try harness.wait("cluster client ready") { client.value.status == .ready }
        return client
    }

    private func send(_ client: LoopBound<RedisClusterClient>, _ arguments: [String]) throws -> Result<
        RESPValue, RedisError
    > {
        try harness.run("\(arguments)") { done in client.value.send(arguments) { done($0) } }
    }

    private func close(_ client: LoopBound<RedisClusterClient>) {
        _ = try? harness.run("close") { (done: @escaping @Sendable (Bool) -> Void) in
            client.value.close()
            done(true)
        }
    }

    @Test(
        "reads the slot map from any one seed and spreads keys over all three masters, each read back where it lives"
    )
    func keysSpread() throws {
        let cluster = try RedisClusterProcess()
        let client = try client(cluster, seeds: [cluster.ports[1]])
        defer { close(client) }
        #expect(try harness.run { done in done(client.value.isCluster) })
        #expect(try harness.run { done in done(client.value.slotMap.coveredSlots) } == 16_384)
        #expect(
            Set(try harness.run { done in done(client.value.masterNodes.map(\.port)) }) == Set(cluster.ports))
        let written: [Result<RESPValue, RedisError>] = try harness.run { done in
            var results: [Result<RESPValue, RedisError>] = []
            for index in 0..<300 {
                client.value.send(["SET", "key:\(index)", "value \(index)"]) { result in
                    results.append(result)
                    if results.count == 300 { done(results) }
                }
            }
        }
        #expect(
            written.allSatisfy { (try? $0.get()) == .simpleString("OK") },
            "\(written.first { (try? $0.get()) == nil } as Any)")
        let sizes = try cluster.ports.map { Int(try cluster.cli($0, ["DBSIZE"])) ?? -1 }
        #expect(sizes.allSatisfy { $0 > 50 } && sizes.reduce(0, +) == 300, "keys per master: \(sizes)")
        for index in [0, 17, 150, 299] {
            #expect(
                try send(client, ["GET", "key:\(index)"]).get() == .bulkString(Array("value \(index)".utf8)))
        }
        let redirects = try harness.run { done in
            done(client.value.redirectsFollowed.moved + client.value.redirectsFollowed.ask)
        }
        #expect(redirects == 0, "a fresh map sends every command straight to its master")
    }

    @Test(
        "pipelined commands to one node keep their order; a transaction over three slots answers in the commands' order"
    )
    func orderAndTransactions() throws {
        let cluster = try RedisClusterProcess()
        let client = try client(cluster)
        defer { close(client) }
        let counts: [Int64] = try harness.run { done in
            var counts: [Int64] = []
            for _ in 0..<1_000 {
                client.value.send(["INCR", "{counter}"]) { result in
                    counts.append((try? result.get())?.int ?? -1)
                    if counts.count == 1_000 { done(counts) }
                }
            }
        }
        #expect(counts == Array(1...1_000))
        let keys = ["{a}one", "{b}two", "{c}three", "{a}four"]
        #expect(Set(keys.map { RedisClusterSlot.slot(of: $0) }).count == 3)
        let reply = try harness.run { done in
            client.value.transaction(
                keys.enumerated().map { ["SET", $0.element, "v\($0.offset)"] } + [["GET", "{b}two"]]
            ) {
                done($0)
            }
        }.get()
        #expect(
            reply == .array(Array(repeating: .simpleString("OK"), count: 4) + [.bulkString(Array("v1".utf8))])
        )
        let owners = Set(try keys.map { try cluster.owner(of: cluster.slot(of: $0)) })
        #expect(owners.count >= 2, "the transaction really spanned several masters")
    }

    @Test("a transaction over three slots sent before the seeds answered is split by slot once they have")
    func transactionBeforeReady() throws {
        let cluster = try RedisClusterProcess()
        let loop = harness.loop
        let seeds = try cluster.ports.map { try RedisConfiguration(url: "redis://127.0.0.1:\($0)") }
        let keys = ["{a}early", "{b}early", "{c}early"]
        let outcome = try harness.run { (done: @escaping @Sendable (Result<RESPValue, RedisError>) -> Void) in
            let client = RedisClusterClient(seeds: seeds, loop: loop)
            client.start()
            client.transaction(keys.map { ["SET", $0, "x"] }) { result in
                done(result)
                client.close()
            }
        }
        #expect(try outcome.get() == .array(Array(repeating: .simpleString("OK"), count: 3)))
    }

    @Test(
        "during a slot migration a key already moved is followed with ASKING; after it, MOVED updates the map"
    )
    func askThenMoved() throws {
        let cluster = try RedisClusterProcess()
        let client = try client(cluster)
        defer { close(client) }
        let key = "migrating:key"
        let slot = try cluster.slot(of: key)
        let source = try cluster.owner(of: slot)
        let target = cluster.ports.first { $0 != source }!
        try cluster.beginMigration(slot: slot, from: source, to: target)
        // The key does not exist on the source: the source answers ASK, the target takes it.
        #expect(try send(client, ["SET", key, "moved"]).get() == .simpleString("OK"))
        #expect(try harness.run { done in done(client.value.redirectsFollowed.ask) } >= 1)
        #expect(try cluster.cli(target, ["CLUSTER", "COUNTKEYSINSLOT", String(slot)]) == "1")
        #expect(try send(client, ["GET", key]).get() == .bulkString(Array("moved".utf8)))
        try cluster.finishMigration(slot: slot, to: target)
        #expect(try harness.run { done in done(client.value.slotMap.master(for: slot)?.port) } == source)
        #expect(try send(client, ["GET", key]).get() == .bulkString(Array("moved".utf8)))
        #expect(try harness.run { done in done(client.value.redirectsFollowed.moved) } >= 1)
        try harness.wait("the refreshed map names the target") {
            client.value.slotMap.master(for: slot)?.port == target
        }
    }

    @Test(
        "a script called by digest during a slot migration: ASKING + EVALSHA on the target, which never ran it, answers NOSCRIPT and gets EVAL"
    )
    func scriptDuringMigration() throws {
        let cluster = try RedisClusterProcess()
        let client = try client(cluster)
        defer { close(client) }
        let script: LoopBound<RedisScript> = try harness.run { done in
            done(LoopBound(RedisScript("redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])"), loop: harness.loop))
        }
        func run(_ key: String, _ value: String) throws -> Result<RESPValue, RedisError> {
            try harness.run("script on \(key)") { done in
                script.value.run(on: client.value, keys: [Array(key.utf8)], arguments: [Array(value.utf8)]) { done($0) }
            }
        }
        let key = "{scripted}:before"
        let slot = try cluster.slot(of: key)
        let source = try cluster.owner(of: slot)
        let target = cluster.ports.first { $0 != source }!
        #expect(try run(key, "one").get() == .bulkString(Array("one".utf8)))
        try harness.wait("the digest is known") { script.value.digest != nil }
        // Whatever master SCRIPT LOAD went to, the target forgets it.
        _ = try cluster.cli(target, ["SCRIPT", "FLUSH"])
        try cluster.beginMigration(slot: slot, from: source, to: target)
        // A key the source does not hold: ASK to the target, where EVALSHA meets NOSCRIPT.
        let moving = "{scripted}:after"
        #expect(try run(moving, "two").get() == .bulkString(Array("two".utf8)))
        #expect(try harness.run { done in done(script.value.fallbacks) } == 1)
        #expect(try harness.run { done in done(client.value.redirectsFollowed.ask) } >= 2, "both calls were asked over")
        #expect(try cluster.cli(target, ["CLUSTER", "COUNTKEYSINSLOT", String(slot)]) == "1")
        try cluster.moveKeys(slot: slot, from: source, to: target)
        try cluster.finishMigration(slot: slot, to: target)
        // Afterwards MOVED sends the digest to the target, which knows it now.
        #expect(try run(moving, "three").get() == .bulkString(Array("three".utf8)))
        #expect(try harness.run { done in done(script.value.fallbacks) } == 1)
    }

    @Test("a command bounced between two nodes fails with tooManyRedirects one past the limit")
    func redirectLimit() throws {
        let cluster = try RedisClusterProcess()
        let client = try client(cluster, maxRedirects: 3)
        defer { close(client) }
        let key = "bounced:key"
        let slot = try cluster.slot(of: key)
        let source = try cluster.owner(of: slot)
        let target = cluster.ports.first { $0 != source }!
        // The source says ASK target; the target, not importing, says MOVED source: a loop.
        try cluster.cli(source, ["CLUSTER", "SETSLOT", String(slot), "MIGRATING", cluster.nodeID(target)])
        let result = try send(client, ["GET", key])
        guard case .failure(.tooManyRedirects(let limit, let last)) = result else {
            Issue.record("expected tooManyRedirects, got \(result)")
            return
        }
        #expect(limit == 3)
        #expect(last.hasPrefix("ASK") || last.hasPrefix("MOVED"), "\(last)")
        let followed = try harness.run { done in
            done(client.value.redirectsFollowed.moved + client.value.redirectsFollowed.ask)
        }
        #expect(followed == 3, "exactly the limit was followed")
        try cluster.cli(source, ["CLUSTER", "SETSLOT", String(slot), "STABLE"])
        #expect(
            try send(client, ["GET", key]).get() == .null, "the same command works once the slot is stable")
    }

    @Test(
        "a master killed: its slots fail with typed errors, the others go on; the subscriber moves to another master"
    )
    func masterKilled() throws {
        let cluster = try RedisClusterProcess()
        let client = try client(cluster)
        defer { close(client) }
        let loop = harness.loop
        let seed = try RedisConfiguration(url: "redis://127.0.0.1:\(cluster.ports[0])")
        let received = Locked<[String]>([])
        let subscriber: LoopBound<RedisSubscriber> = try harness.run { done in
            let subscriber = try! RedisSubscriber(configuration: seed, loop: loop)
            subscriber.client.endpoints = { [weak client = client.value] in client?.masterNodes ?? [] }
            subscriber.onMessage = { _, payload in
                received.withLock { $0.append(String(decoding: payload, as: UTF8.self)) }
            }
            subscriber.subscribe(["news"])
            subscriber.start()
            done(LoopBound(subscriber, loop: loop))
        }
        defer {
            _ = try? harness.run { (done: @escaping @Sendable (Bool) -> Void) in
                subscriber.value.close(); done(true)
            }
        }
        try harness.wait("subscribed") { subscriber.value.client.isReady }
        usleep(100_000)
        #expect(try send(client, ["PUBLISH", "news", "one"]).get().int != nil)
        try harness.wait("first message") { received.value == ["one"] }

        let dead = cluster.ports[0]
        let map = try harness.run { done in done(client.value.slotMap) }
        let keys = (0..<1_000).map { "k\($0)" }
        let deadKey = keys.first { map.master(for: RedisClusterSlot.slot(of: $0))?.port == dead }!
        let liveKey = keys.first { map.master(for: RedisClusterSlot.slot(of: $0))?.port != dead }!
        cluster.servers[0].kill()
        let failed = try send(client, ["SET", deadKey, "x"])
        switch failed {
        case .failure(.unavailable(let retry, _)): #expect(retry > .zero)
        case .failure(.connectionLost), .failure(.timeout): break
        default: Issue.record("expected a typed error for a dead master's slot, got \(failed)")
        }
        #expect(try send(client, ["SET", liveKey, "x"]).get() == .simpleString("OK"))
        try harness.wait(seconds: 8, "the subscriber moved to a live master") {
            subscriber.value.client.isReady && subscriber.value.client.configuration.port != dead
        }
        usleep(100_000)
        #expect(try send(client, ["PUBLISH", "news", "two"]).get().int != nil)
        try harness.wait("message after the move") { received.value == ["one", "two"] }
    }

    @Test(
        "a master killed with a replica: the replica takes over, the map is refreshed, and the same client writes there"
    )
    func failover() throws {
        let cluster = try RedisClusterProcess(masters: 3, replicas: 1)
        let client = try client(cluster, seeds: Array(cluster.ports.prefix(3)))
        defer { close(client) }
        let map = try harness.run { done in done(client.value.slotMap) }
        let dead = try #require(map.master(for: 0)?.port)
        let key = (0..<1_000).map { "k\($0)" }.first {
            map.master(for: RedisClusterSlot.slot(of: $0))?.port == dead
        }!
        #expect(try send(client, ["SET", key, "before"]).get() == .simpleString("OK"))
        let replica = try #require(
            try cluster.ports.first { port in
                try cluster.cli(port, ["INFO", "replication"]).contains("master_port:\(dead)")
            })
        let deadline = Date().addingTimeInterval(5)
        while try cluster.cli(replica, ["--no-raw", "DBSIZE"]) == "(integer) 0", Date() < deadline {
            usleep(10_000)
        }
        cluster.servers.first { $0.port == dead }!.kill()
        var typedErrors = 0
        var written = false
        let until = Date().addingTimeInterval(15)
        while !written, Date() < until {
            switch try send(client, ["SET", key, "after"]) {
            case .success: written = true
            case .failure(.unavailable), .failure(.connectionLost), .failure(.timeout):
                typedErrors += 1
                usleep(50_000)
            case .failure(let other):
                Issue.record("an untyped failure during the failover: \(other)")
                return
            }
        }
        #expect(written, "the write never succeeded after the failover (\(typedErrors) typed errors)")
        #expect(typedErrors >= 1, "the dead master's slot was refused while the replica took over")
        let slot = RedisClusterSlot.slot(of: key)
        #expect(try harness.run { done in done(client.value.slotMap.master(for: slot)?.port) } == replica)
        #expect(try harness.run { done in done(client.value.refreshes) } >= 1)
        #expect(try send(client, ["GET", key]).get() == .bulkString(Array("after".utf8)))
    }
}
