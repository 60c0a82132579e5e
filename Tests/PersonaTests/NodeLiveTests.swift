import Foundation
import PersonaTestSupport
import Testing

/// Whether Debian's `redis-server` is installed (`.ci/run` installs it).
let redisServerAvailable = FileManager.default.isExecutableFile(atPath: RedisServerProcess.executable)

/// Several `persona serve --redis` nodes on one real `redis-server`, started on loopback ports.
final class NodeCluster {
    let redis: RedisServerProcess
    let nodes: [ServeProcess]

    /// Starts Redis and `count` nodes `node-0`… with the chat fixtures and `timeout` for matchmaking.
    init(nodes count: Int, matchmakingTimeout timeout: String, personalities: [String]? = nil) throws {
        let redis = try RedisServerProcess()
        self.redis = redis
        nodes = try (0..<count).map {
            try ServeProcess([
                "--personalities", personalities?[$0] ?? chatFixtures, "--store", "memory", "--matchmaking-timeout", timeout,
                "--redis", "redis://127.0.0.1:\(redis.port)", "--node-id", "node-\($0)",
            ])
        }
        try waitUntilLinked()
    }

    var urls: [String] { nodes.map { "ws://127.0.0.1:\($0.port)/v1/ws" } }

    /// `redis-cli` against the test server.
    func cli(_ arguments: [String]) throws -> String {
        let result = try ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["redis-cli", "-p", String(redis.port)] + arguments)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits (10 s at most) until every node's channel has its subscriber and its node record.
    func waitUntilLinked() throws {
        let deadline = Date().addingTimeInterval(10)
        let channels = nodes.indices.map { "persona:node:node-\($0):mail" }
        while Date() < deadline {
            let numsub = try cli(["PUBSUB", "NUMSUB"] + channels).split(separator: "\n")
            let records = try cli(["EXISTS"] + nodes.indices.map { "persona:node:node-\($0)" })
            if numsub.count == 2 * channels.count, stride(from: 1, to: numsub.count, by: 2).allSatisfy({ numsub[$0] == "1" }),
                records == String(nodes.count)
            {
                return
            }
            usleep(20_000)
        }
        throw ServeProcess.ServeProcessError(message: "the nodes did not link to Redis within 10 s")
    }

    /// Runs `Python/node_scenarios.py SCENARIO` with `arguments`; returns its `ok …` lines.
    func scenario(_ name: String, _ arguments: [String]) throws -> [String] {
        let script = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Python/node_scenarios.py")
        let result = try ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["timeout", "60", "python3", script.path, name] + arguments)
        #expect(result.status == 0, "\(name): stdout: \(result.stdout)\nstderr: \(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }
}

@Suite(
    "persona serve --redis: several nodes on one real redis-server (live)",
    .enabled(if: chatPythonAvailable && redisServerAvailable, "needs python3 'websockets' and redis-server"))
struct NodeLiveTests {
    @Test("two clients on different nodes are matched, see each other type, chat both ways and end")
    func crossNodeChat() throws {
        let cluster = try NodeCluster(nodes: 2, matchmakingTimeout: "10")
        let lines = try cluster.scenario("cross_matched", cluster.urls)
        #expect(
            lines == [
                "ok two clients on two nodes matched to each other", "ok typing on/off relayed both ways",
                "ok messages relayed both ways in order", "ok the end reached the other node as partner_left",
            ])
        #expect(try cluster.cli(["LLEN", "persona:match:queue"]) == "0")
        // Each node published its side of the chat (pairing, typing, messages, the end).
        for node in cluster.nodes {
            let client = BlockingClient(port: node.port)
            client.send("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let text = String(decoding: client.receiveUntilClose(), as: UTF8.self)
            let published = text.split(separator: "\n").first { $0.hasPrefix("persona_node_mail_total{direction=\"published\"}") }
            let count = published.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) } ?? 0
            #expect(count >= 5, "\(published ?? "no persona_node_mail_total line")")
            #expect(text.contains("persona_node_heartbeats_total"))
        }
    }

    @Test("a relay published with the write that reaches no subscriber (the partner's node was SIGKILLed) ends the sender's session partner_left at once")
    func deadPartnerNode() throws {
        let cluster = try NodeCluster(nodes: 2, matchmakingTimeout: "10")
        let lines = try cluster.scenario(
            "dead_partner_node",
            cluster.urls + [String(cluster.redis.port), String(cluster.nodes[1].process.processIdentifier)])
        #expect(
            lines == [
                "ok a message to a SIGKILLed node was acked, and its relay reaching nobody ended the session partner_left at once"
            ])
        // The relay went out with the store's script, not as a PUBLISH of its own.
        let client = BlockingClient(port: cluster.nodes[0].port)
        client.send("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let text = String(decoding: client.receiveUntilClose(), as: UTF8.self)
        func count(_ direction: String) -> Double {
            let line = text.split(separator: "\n").first { $0.hasPrefix("persona_node_mail_total{direction=\"\(direction)\"}") }
            return line.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) } ?? -1
        }
        #expect(count("published_with_write") == 1, "\(text)")
        #expect(count("undelivered") >= 1, "\(text)")
    }

    @Test("persona bench relay measures both phases and counts one PUBLISH and two script calls per cross-node message")
    func benchRelay() throws {
        let cluster = try NodeCluster(nodes: 2, matchmakingTimeout: "10")
        let result = try ProcessResult.persona([
            "bench", "relay", "--url", cluster.urls[0], "--other-url", cluster.urls[1], "--pairs", "5", "--duration",
            "0.5", "--runs", "1", "--rate", "4", "--redis", "redis://127.0.0.1:\(cluster.redis.port)",
        ])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let one = try #require(lines.first { $0.hasPrefix("one node: matching") }, "\(lines)")
        #expect(one.contains("(0.00 PUBLISH,"), "\(one)")
        let two = try #require(lines.first { $0.hasPrefix("two nodes: matching") }, "\(lines)")
        let counts = two.components(separatedBy: "(").last?.split(separator: " ").compactMap { Double($0) } ?? []
        #expect(counts.first.map { $0 >= 0.9 && $0 <= 1.2 } == true, "\(two)")
        // Each message is one script call on each side (the sender's turn, which publishes the
        // relay, and the partner's turn): no transactions, no separate PUBLISH round trip.
        for line in [one, two] {
            let scripts = line.components(separatedBy: "PUBLISH, ").last?.split(separator: " ").first.flatMap { Double($0) }
            #expect(scripts.map { $0 >= 1.9 && $0 <= 2.3 } == true, "\(line)")
        }
    }

    @Test("a reload on one node propagates: each node rebuilds its own tree; one that fails keeps its snapshot and says so")
    func reloadPropagates() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("persona-reload-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let trees = try (0..<2).map { index -> URL in
            let tree = root.appendingPathComponent("node-\(index)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: URL(fileURLWithPath: chatFixtures), to: tree)
            return tree
        }
        let cluster = try NodeCluster(nodes: 2, matchmakingTimeout: "10", personalities: trees.map(\.path))
        let parrot = try String(contentsOf: trees[0].appendingPathComponent("parrot.yaml"), encoding: .utf8)
        let owl = parrot.replacingOccurrences(of: "id: parrot", with: "id: owl")
        for tree in trees { try owl.write(to: tree.appendingPathComponent("owl.yaml"), atomically: true, encoding: .utf8) }
        try "id: [broken\n".write(to: trees[1].appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)

        func outcomes(_ wanted: @escaping ([String: String]) -> Bool) throws -> [String: String] {
            let deadline = Date().addingTimeInterval(10)
            var last: [String: String] = [:]
            while Date() < deadline {
                let lines = try cluster.cli(["HGETALL", "persona:reload:last"]).split(separator: "\n").map(String.init)
                last = Dictionary(stride(from: 0, to: lines.count - 1, by: 2).map { (lines[$0], lines[$0 + 1]) }) { $1 }
                if wanted(last) { return last }
                usleep(20_000)
            }
            return last
        }

        kill(cluster.nodes[0].process.processIdentifier, SIGHUP)
        let first = try outcomes { $0.count == 2 }
        #expect(first["node-0"]?.hasPrefix("applied ") == true, "\(first)")
        #expect(first["node-1"]?.hasPrefix("rejected ") == true, "\(first)")
        #expect(first["node-1"]?.contains("broken.yaml") == true, "\(first)")

        try FileManager.default.removeItem(at: trees[1].appendingPathComponent("broken.yaml"))
        kill(cluster.nodes[0].process.processIdentifier, SIGHUP)
        let second = try outcomes { $0["node-1"]?.hasPrefix("applied ") == true }
        #expect(second["node-1"] == second["node-0"], "both nodes serve the same tree now: \(second)")
    }

    @Test("each tenant waits in its own queue list, and tenants never meet across nodes")
    func tenantQueues() throws {
        let cluster = try NodeCluster(nodes: 2, matchmakingTimeout: "10")
        let lines = try cluster.scenario("tenant_queues", cluster.urls + [String(cluster.redis.port)])
        #expect(
            lines == [
                "ok each tenant's ticket waits in its own list",
                "ok the acme clients on two nodes met; the globex one still waits",
            ])
    }

    @Test("a client waiting alone on two nodes falls back to a bot exactly once, and its ticket leaves the queue")
    func fallbackOnce() throws {
        let cluster = try NodeCluster(nodes: 2, matchmakingTimeout: "0.3")
        let lines = try cluster.scenario("cross_fallback", cluster.urls)
        #expect(
            lines == [
                "ok alone on two nodes: one fallback to parrot",
                "ok its ticket left the shared queue: a newcomer waited and fell back too",
            ])
        #expect(try cluster.cli(["LLEN", "persona:match:queue"]) == "0")
    }

    @Test("racing clients on two nodes with a 50 ms timeout: each starts once, the humans pair up exactly")
    func race() throws {
        let cluster = try NodeCluster(nodes: 2, matchmakingTimeout: "0.05")
        let lines = try cluster.scenario("race", cluster.urls)
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("ok 24 racing clients: each started once") == true, "\(lines)")
        #expect(lines.last == "ok no second session_started anywhere")
    }

    @Test("three nodes: filters hold across nodes (the two German chess players meet, the English one falls back)")
    func threeNodes() throws {
        let cluster = try NodeCluster(nodes: 3, matchmakingTimeout: "1")
        let lines = try cluster.scenario("three_nodes", cluster.urls)
        #expect(
            lines == [
                "ok on three nodes the German chess players on A and C met; the English one on B waited",
                "ok B fell back to parrot",
            ])
    }

    @Test("Redis killed: cross-node pairs end partner_left, random starts get a bot at once, bot messages are refused store_unavailable; after a restart the nodes link again by themselves")
    func redisDown() throws {
        let cluster = try NodeCluster(nodes: 2, matchmakingTimeout: "10")
        let pid = try #require(cluster.redis.pid)
        let lines = try cluster.scenario("redis_down", cluster.urls + [String(pid)])
        #expect(
            lines == [
                "ok Redis gone: the cross-node pair ended partner_left on both nodes",
                "ok a random start fell back to a bot at once, not after the 10 s timeout",
                "ok a bot session's message was refused store_unavailable with a retry time, never acknowledged",
            ])
        cluster.redis.kill()
        try cluster.redis.start()
        try cluster.waitUntilLinked()
        let again = try cluster.scenario("cross_matched", cluster.urls)
        #expect(again.first == "ok two clients on two nodes matched to each other")
        #expect(again.count == 4)
    }
}

@Suite("persona serve: node and human-limit options")
struct NodeOptionTests {
    @Test("--node-id without --redis, a bad --redis URL and a bad --human-rate are usage errors (64)")
    func usageErrors() throws {
        for (arguments, message) in [
            (["--node-id", "a"], "--node-id names this node among several; it needs --redis"),
            (["--redis", "http://x"], "--redis:"),
            (["--redis", "redis://127.0.0.1:1", "--node-id", "a b"], "--node-id: 1 to 128 characters"),
            (["--human-rate", "fast"], "--human-rate:"),
        ] {
            let result = try ProcessResult.persona(["serve", "--port", "0", "--store", "memory"] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test(
        "--human-burst 2: the third message in a row of a human session is refused rate_limited",
        .enabled(if: chatPythonAvailable, "needs python3 'websockets'"))
    func humanBurst() throws {
        let server = try ServeProcess([
            "--personalities", chatFixtures, "--store", "memory", "--matchmaking-timeout", "10", "--human-burst", "2",
            "--human-rate", "1/min",
        ])
        let script = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Python/node_scenarios.py")
        let result = try ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["timeout", "60", "python3", script.path, "human_burst", "ws://127.0.0.1:\(server.port)/v1/ws"])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout == "ok the third message of a burst of 2 was refused rate_limited\n")
    }
}
