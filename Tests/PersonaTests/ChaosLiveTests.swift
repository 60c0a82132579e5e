import Foundation
import PersonaTestSupport
import Testing

/// The chaos model against the real binary: `persona bench chaos` drives a two-loop
/// `persona serve` with virtual users, SIGHUP reloads and connection bursts. A long run with
/// any seed is the same command with more users and minutes (see the README).
@Suite("Protocol chaos against a live server", .serialized)
struct ChaosLiveTests {
    static let fixtures = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Fixtures/chat")
        .path

    func serve() throws -> OpsServeProcess {
        try OpsServeProcess(
            personalities: Self.fixtures,
            arguments: [
                "--loops", "2", "--connection-rate", "off", "--matchmaking-timeout", "0.5", "--log-level",
                "warning",
                // Sessions end when their client leaves, so the server can come back to rest.
                "--resume-window", "0",
                "--data-dir",
                FileManager.default.temporaryDirectory.appendingPathComponent("persona-chaos-\(getpid())")
                    .path,
            ])
    }

    func chaos(_ server: OpsServeProcess, seed: Int, extra: [String] = []) throws -> ProcessResult {
        try ProcessResult.persona(
            [
                "bench", "chaos", "--url", "ws://127.0.0.1:\(server.port)/v1/ws", "--users", "40",
                "--duration", "3",
                "--seed", "\(seed)", "--think-ms", "60", "--reload-every", "1", "--burst-every", "1",
                "--server-pid", "\(server.server.process.processIdentifier)",
                "--personalities", "parrot,brief,storyteller,strict", "--input-limits", "200,2000",
            ] + extra)
    }

    @Test(
        "forty virtual users walk a two-loop server for three seconds with reloads and bursts; every invariant holds and the server comes back to rest",
        arguments: [11, 12])
    func leaveAndRest(seed: Int) throws {
        let server = try serve()
        let run = try chaos(server, seed: seed)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("every invariant held"), "\(run.stdout)")
        #expect(run.stdout.contains("server after:  RSS"), "\(run.stdout)")
        #expect(run.stdout.contains("gauges: 0 connections, 0 sessions\nevery"), "\(run.stdout)")
        var environment = ProcessInfo.processInfo.environment
        environment["PERSONA_ADMIN_URL"] = "http://127.0.0.1:\(server.adminPort)"
        environment["PERSONA_ADMIN_TOKEN"] = server.token
        let sessions = try ProcessResult.persona(["sessions"], environment: environment)
        #expect(
            sessions.status == 0 && sessions.stdout == "0 live sessions\n",
            "\(sessions.stdout)\(sessions.stderr)")
        #expect(server.stop() == 0)
    }

    @Test(
        "SIGTERM in the middle of a chaos run ends every human session with shutdown and closes every connection with 1001"
    )
    func drain() throws {
        let server = try serve()
        let run = try chaos(server, seed: 13, extra: ["--drain"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("SIGTERM drained every connection in"), "\(run.stdout)")
        #expect(run.stdout.contains("every invariant held"), "\(run.stdout)")
        #expect(server.stop() == 0)
    }
}
