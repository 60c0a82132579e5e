import Foundation
import PersonaTestSupport
import Testing

/// Runs `Python/redis_nodes.py` with the persona binary, the chat fixtures, a fresh data
/// directory and `arguments`; returns its lines after checking it passed.
private func runNodesScript(_ arguments: [String]) throws -> [String] {
    let data = FileManager.default.temporaryDirectory.appendingPathComponent("persona-nodes-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: data) }
    let script = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Python/redis_nodes.py").path
    let result = try ProcessResult.run(
        URL(fileURLWithPath: "/usr/bin/env"), ["python3", script, PersonaBinary.url.path, chatFixtures, data.path] + arguments)
    #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
    return result.stdout.split(separator: "\n").map(String.init)
}

@Suite(
    "several nodes on one Redis, live, with the Python websockets client",
    .enabled(if: chatPythonAvailable, "python3 'websockets' is not installed (pip install -r Tests/requirements.txt)"),
    .enabled(if: redisServerAvailable, "redis-server is not installed (apt-get install redis-server)"),
    .serialized)
struct RedisNodesLiveTests {
    @Test(
        "a node killed with SIGKILL: its sessions resume on another node with every acknowledged message; Redis killed and restarted: typed errors, /ready 503, recovery without a node restart"
    )
    func nodeKilledThenRedisRestarted() throws {
        let lines = try runNodesScript(["24"])
        #expect(lines.count == 4, "\(lines)")
        #expect(lines.first?.hasPrefix("ok node a killed with SIGKILL") == true, "\(lines)")
        #expect(lines.dropFirst().first?.hasPrefix("ok Redis killed: all 24 clients refused") == true, "\(lines)")
        #expect(lines.dropFirst(2).first?.hasPrefix("ok Redis restarted") == true, "\(lines)")
        #expect(lines.last?.hasPrefix("ok every one of") == true, "\(lines)")
    }

    @Test("a reply one node filed in the shared response cache is streamed by the other; a new question is a miss")
    func sharedCache() throws {
        let lines = try runNodesScript(["1", "cache"])
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.first?.contains("is streamed by node b from the shared cache") == true, "\(lines)")
        #expect(lines.last?.hasPrefix("ok a question nobody asked is a miss") == true, "\(lines)")
    }

    @Test(
        "a client's burst and daily count, and a personality's burst, spent on one node are spent on the other: refused limit_reached, then rate_limited twice"
    )
    func sharedLimits() throws {
        let lines = try runNodesScript(["1", "rate"])
        #expect(lines.count == 3, "\(lines)")
        #expect(lines.first?.hasPrefix("ok daily_messages_per_client 3") == true, "\(lines)")
        #expect(lines.dropFirst().first?.hasPrefix("ok a client's burst of 3 spent on node a") == true, "\(lines)")
        #expect(lines.last?.hasPrefix("ok personality_burst 3 spent by two sessions on node a and one on node b") == true, "\(lines)")
    }
}

@Suite("persona serve --redis at start")
struct ServeRedisStartupTests {
    @Test("a URL that is not redis:// or rediss:// is a usage error (exit 64) naming the flag")
    func badURL() throws {
        let result = try ProcessResult.run(
            PersonaBinary.url, ["serve", "--port", "0", "--personalities", chatFixtures, "--redis", "http://127.0.0.1:6379"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--redis:"), "\(result.stderr)")
    }

    @Test("a node id with spaces or braces is a usage error")
    func badNodeID() throws {
        let result = try ProcessResult.run(
            PersonaBinary.url,
            ["serve", "--port", "0", "--personalities", chatFixtures, "--redis", "redis://127.0.0.1:1", "--node-id", "a {b}"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--node-id"), "\(result.stderr)")
    }

    @Test("no seed answering stops serve before it listens, naming every seed tried")
    func unreachable() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("persona-noredis-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let ports = try (0..<2).map { _ in try RedisServerProcess.freePort() }
        let result = try ProcessResult.run(
            PersonaBinary.url,
            [
                "serve", "--port", "0", "--admin-port", "0", "--personalities", chatFixtures, "--data-dir", data.path,
                "--redis", "redis://127.0.0.1:\(ports[0]), redis://:secret@127.0.0.1:\(ports[1])/2",
            ])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("cannot reach Redis"), "\(result.stderr)")
        #expect(result.stderr.contains("127.0.0.1:\(ports[0])") && result.stderr.contains("127.0.0.1:\(ports[1])"))
        #expect(!result.stderr.contains("secret"), "the password is never printed")
    }
}
