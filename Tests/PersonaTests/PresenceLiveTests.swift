import Foundation
import PersonaTestSupport
import Testing

extension ServeProcess {
    /// The admin API's URL, read from the `admin API on http://…` line (call once, after start).
    func adminURL() throws -> String {
        while let line = nextLine() {
            guard line.hasPrefix("admin API on http://") else { continue }
            if let address = line.split(separator: " ").first(where: { $0.hasPrefix("http://") }) {
                return String(address)
            }
        }
        throw ServeProcessError(message: "no admin line")
    }

    /// The admin token the server wrote into its data directory.
    func adminToken() throws -> String {
        try String(contentsOfFile: dataDirectory + "/admin-token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

@Suite(
    "presence across nodes: the admin API and persona sessions --all-nodes (live)",
    .enabled(if: chatPythonAvailable && redisServerAvailable, "needs python3 'websockets' and redis-server"))
struct PresenceLiveTests {
    @Test("sessions on two nodes show on both; an ended one leaves at once; a SIGKILLed node's expire")
    func presenceAcrossNodes() throws {
        let cluster = try NodeCluster(nodes: 2, matchmakingTimeout: "10")
        let admins = try cluster.nodes.map { try $0.adminURL() }
        let tokens = try cluster.nodes.map { try $0.adminToken() }
        let lines = try cluster.scenario(
            "presence",
            cluster.urls + [
                admins[0], tokens[0], admins[1], tokens[1], cluster.nodes[1].dataDirectory,
                String(cluster.nodes[1].process.processIdentifier), PersonaBinary.url.path,
            ])
        #expect(
            lines == [
                "ok both nodes' admin API list the three sessions of two nodes with their node",
                "ok persona sessions --all-nodes on node B lists node A's sessions too",
                "ok an ended session left the presence at once, not at the next heartbeat",
                "ok the SIGKILLed node's session expired from the presence",
            ])
        // The keys are the documented ones: one set and one hash for the clients without a tenant.
        #expect(try cluster.cli(["ZCARD", "persona:presence:{-}"]) == "1")
        #expect(try cluster.cli(["HKEYS", "persona:presence:{-}:info"]).split(separator: "\n").count == 1)
        #expect(try cluster.cli(["ZRANGE", "persona:presence:tenants", "0", "-1"]) == "-")
    }

    @Test("a bot session resumed on node B while node A holds it: A detaches its connection, only B answers")
    func ownerRelease() throws {
        let cluster = try NodeCluster(nodes: 2, matchmakingTimeout: "10")
        let lines = try cluster.scenario("owner_release", cluster.urls)
        #expect(
            lines == [
                "ok node A detached its connection when node B resumed the session",
                "ok only node B answers the session now",
            ])
    }

    @Test("persona sessions --all-nodes against a server without --redis is a typed error naming --redis")
    func allNodesWithoutRedis() throws {
        let server = try OpsServeProcess(personalities: chatFixtures, arguments: ["--store", "memory"])
        defer { server.stop() }
        let result = try ProcessResult.persona([
            "sessions", "--all-nodes", "--admin-url", "http://127.0.0.1:\(server.adminPort)", "--token",
            server.token,
        ])
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        #expect(
            result.stderr.contains(
                "--all-nodes: the server is not a node of a service (start it with 'persona serve --redis URL')"
            ),
            "\(result.stderr)")
    }
}
