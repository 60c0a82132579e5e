import Foundation
import PersonaTestSupport
import Testing

/// The core node tests against a real three-master Redis Cluster (`redis-cli --cluster create`
/// on loopback ports), the nodes given all three masters as `--redis` seeds.
@Suite(
    "persona serve --redis on a three-master Redis Cluster (live)",
    .enabled(
        if: chatPythonAvailable,
        "python3 'websockets' is not installed (pip install -r Tests/requirements.txt)"),
    .enabled(
        if: RedisClusterProcess.available,
        "redis-server and redis-cli are not installed (apt-get install redis-server)"),
    .serialized)
struct RedisClusterNodeLiveTests {
    @Test(
        "two clients on different nodes are matched through the cluster, see each other type, chat both ways and end"
    )
    func crossNodeChat() throws {
        let redis = try RedisClusterProcess()
        let nodes = try (0..<2).map {
            try ServeProcess([
                "--personalities", chatFixtures, "--store", "memory", "--matchmaking-timeout", "10",
                // Different first seeds: the nodes subscribe on different masters, so a PUBLISH
                // reaches the partner's node only through the cluster bus.
                "--redis", redis.seedList(startingAt: $0), "--node-id", "node-\($0)",
            ])
        }
        let listening = try waitUntilLinked(redis, nodes: nodes.count)
        #expect(listening == [redis.ports[0], redis.ports[1]], "each node subscribes on its first seed")
        let script = PersonaBinary.packageRoot.appendingPathComponent(
            "Tests/PersonaTests/Python/node_scenarios.py")
        let result = try ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["timeout", "60", "python3", script.path, "cross_matched"]
                + nodes.map { "ws://127.0.0.1:\($0.port)/v1/ws" })
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(
            result.stdout.split(separator: "\n").map(String.init) == [
                "ok two clients on two nodes matched to each other", "ok typing on/off relayed both ways",
                "ok messages relayed both ways in order", "ok the end reached the other node as partner_left",
            ])
        // The queue's key lives on one master; the cluster client found it there.
        let queueSlot = try redis.slot(of: "persona:match:queue")
        #expect(try redis.cli(redis.owner(of: queueSlot), ["LLEN", "persona:match:queue"]) == "0")
    }

    @Test(
        "a node killed with SIGKILL: sessions resume on the other node with every acknowledged message; the slots of every session migrated while clients chat: MOVED and ASK followed, nothing lost, no restart"
    )
    func killedThenMigrated() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent(
            "persona-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let script = PersonaBinary.packageRoot.appendingPathComponent(
            "Tests/PersonaTests/Python/redis_nodes.py"
        ).path
        let result = try ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "timeout", "90", "python3", script, PersonaBinary.url.path, chatFixtures, data.path, "16",
                "cluster",
            ])
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(lines)")
        #expect(lines.first?.hasPrefix("ok node a killed with SIGKILL") == true, "\(lines)")
        #expect(
            lines.dropFirst().first?.contains("migrated to another master while they chatted") == true,
            "\(lines)")
        #expect(lines.last?.hasPrefix("ok every one of") == true, "\(lines)")
    }

    /// Waits (10 s at most) until each node's mail channel has a subscriber on some master and
    /// each node record exists (on the master of its slot).
    /// Returns the port each node's subscriber is on.
    private func waitUntilLinked(_ redis: RedisClusterProcess, nodes: Int) throws -> [Int] {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            var linked = true
            var listening: [Int] = []
            for node in 0..<nodes {
                let channel = "persona:node:node-\(node):mail"
                let counts = try redis.ports.map { port -> Int in
                    let lines = try redis.cli(port, ["PUBSUB", "NUMSUB", channel]).split(separator: "\n")
                    return lines.count == 2 ? Int(lines[1]) ?? 0 : 0
                }
                let subscribers = counts.reduce(0, +)
                listening += zip(redis.ports, counts).filter { $0.1 > 0 }.map(\.0)
                let record = "persona:node:node-\(node)"
                let exists = try redis.cli(redis.owner(of: redis.slot(of: record)), ["EXISTS", record])
                if subscribers != 1 || exists != "1" { linked = false }
            }
            if linked { return listening }
            usleep(20_000)
        }
        throw ServeProcess.ServeProcessError(message: "the nodes did not link to the cluster within 10 s")
    }
}
