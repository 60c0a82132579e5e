import Engines
import Foundation
import HTTPServer
import JSON
import PersonaServer
import PersonaTestSupport
import Personality
import Reactor
import Testing

/// An admin listener in the test process over a real ``ReloadCoordinator`` that builds a
/// temporary personality folder, so the real `persona` binary's admin commands can be run
/// against it (the chat server's own admin listener is tested by the live tests).
private final class AdminListener {
    let folder: URL
    let group: EventLoopGroup
    let server: HTTPServer
    let port: Int
    let coordinator: ReloadCoordinator
    let token = "cli-token"

    init(files: [String: String]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "persona-ops-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        let builder = RegistryBuilder(catalog: EngineRegistry.builtIn.catalog)
        let path = folder.path
        let first = builder.build(paths: [path])
        let snapshot = try #require(first.snapshot, "\(first.diagnostics)")
        coordinator = ReloadCoordinator(registry: Registry(snapshot), build: { builder.build(paths: [path]) })
        { _ in }
        let backend = CoordinatedAdminBackend(
            coordinator: coordinator, sessions: { [] }, stats: { AdminStats() })
        group = try EventLoopGroup(loops: 1)
        server = HTTPServer(
            router: AdminRoutes.router(backend: backend, token: AdminToken(token)), group: group)
        port = try server.start(at: SocketAddress(host: "127.0.0.1", port: 0)).port
    }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    func remove(_ name: String) throws {
        try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
    }

    /// Runs `persona` with the admin URL and token in the environment.
    func persona(_ arguments: [String], token: String? = nil) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["PERSONA_ADMIN_URL"] = "http://127.0.0.1:\(port)"
        environment["PERSONA_ADMIN_TOKEN"] = token ?? self.token
        return try ProcessResult.persona(arguments, environment: environment)
    }

    deinit {
        server.shutdown(gracePeriod: .seconds(1))
        group.shutdown()
        try? FileManager.default.removeItem(at: folder)
    }
}

private func personality(_ id: String, greeting: String = "Hello!") -> String {
    """
    id: \(id)
    name: \(id.capitalized)
    description: A test personality.
    engine: script
    greeting: "\(greeting)"
    script:
      rules:
        - match: "hello"
          reply: "Hi there!"

    """
}

@Suite("persona reload, show, sessions, stats against an admin API")
struct OpsCLITests {
    @Test("reload prints the diff and exits 0; --dry-run changes nothing")
    func reload() throws {
        let admin = try AdminListener(files: [
            "alpha.yaml": personality("alpha"), "beta.yaml": personality("beta"),
        ])
        try admin.write("gamma.yaml", personality("gamma"))
        try admin.write("alpha.yaml", personality("alpha", greeting: "Howdy!"))
        try admin.remove("beta.yaml")
        let before = admin.coordinator.registry.current
        let dry = try admin.persona(["reload", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.hasPrefix("dry run: the reload would apply"))
        #expect(admin.coordinator.registry.current === before)
        let applied = try admin.persona(["reload"])
        #expect(applied.status == 0, "\(applied.stderr)")
        let lines = applied.stdout.split(separator: "\n").map(String.init)
        let after = admin.coordinator.registry.current
        #expect(lines.first == "reload applied: now serving version \(after.version)")
        #expect(lines.contains("+ gamma \(try #require(after.personality("gamma")).version)"))
        #expect(lines.contains("- beta \(try #require(before.personality("beta")).version)"))
        #expect(lines.contains { $0.hasPrefix("~ alpha ") && $0.hasSuffix("(greeting)") })
    }

    @Test("a rejected reload prints every error with its location and exits 1")
    func rejected() throws {
        let admin = try AdminListener(files: ["alpha.yaml": personality("alpha")])
        try admin.write("broken.yaml", personality("broken") + "mood: grumpy\n")
        let result = try admin.persona(["reload"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("broken.yaml:10:1: error:"), "\(result.stderr)")
        #expect(
            result.stderr.contains("Error: reload rejected with 1 error; the server keeps serving version"))
        let json = try admin.persona(["reload", "--format", "json"])
        #expect(json.status == 1)
        let body = try JSONValue(parsing: json.stdout)
        #expect(body["result"] == "rejected" && body["errors"]?[0]?["line"] == 10)
    }

    @Test("show prints one personality; an unknown id exits 1")
    func show() throws {
        let admin = try AdminListener(files: ["alpha.yaml": personality("alpha")])
        let result = try admin.persona(["show", "alpha"])
        #expect(result.status == 0, "\(result.stderr)")
        let version = try #require(admin.coordinator.registry.current.personality("alpha")).version
        #expect(result.stdout.contains("version           \(version)\n"), "\(result.stdout)")
        let json = try JSONValue(parsing: try admin.persona(["show", "alpha", "--format", "json"]).stdout)
        #expect(json["id"] == "alpha" && json["version"]?.stringValue == version.description)
        let missing = try admin.persona(["show", "nobody"])
        #expect(missing.status == 1 && missing.stderr.contains("no personality 'nobody'"))
    }

    @Test("show names the input limit max_input_chars, as limits.yaml spells it")
    func showSpellsLimitsAsYAML() throws {
        let admin = try AdminListener(files: [
            "alpha.yaml": personality("alpha"),
            "limits.yaml": "default: roomy\nsets:\n  roomy:\n    max_input_chars: 500\n",
        ])
        let json = try JSONValue(parsing: try admin.persona(["show", "alpha", "--format", "json"]).stdout)
        #expect(json["limits"]?["max_input_chars"] == 500, "\(json)")
        #expect(!json.serialized().contains("max_input_characters"), "\(json)")
    }

    @Test("list --server shows what the running server serves, not what a folder holds")
    func listFromServer() throws {
        let admin = try AdminListener(files: ["alpha.yaml": personality("alpha")])
        let result = try admin.persona(["list", "--server"])
        #expect(result.status == 0, "\(result.stderr)")
        let version = try #require(admin.coordinator.registry.current.personality("alpha")).version
        let rows = result.stdout.split(separator: "\n")
        #expect(rows.count == 2, "\(result.stdout)")
        #expect(rows.last?.hasPrefix("alpha ") == true && rows.last?.hasSuffix(version.description) == true)
        let json = try JSONValue(parsing: try admin.persona(["list", "--server", "--format", "json"]).stdout)
        #expect(json[0]?["id"] == "alpha" && json[1] == nil)
    }

    @Test("sessions and stats print tables, or the server's JSON")
    func sessionsAndStats() throws {
        let admin = try AdminListener(files: ["alpha.yaml": personality("alpha")])
        let sessions = try admin.persona(["sessions"])
        #expect(
            sessions.status == 0 && sessions.stdout == "0 live sessions\n",
            "\(sessions.stdout)\(sessions.stderr)")
        #expect(
            try JSONValue(parsing: try admin.persona(["sessions", "--format", "json"]).stdout)["total"] == 0)
        _ = try admin.persona(["reload"])
        let stats = try admin.persona(["stats"])
        #expect(stats.status == 0)
        let rows = stats.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.contains(["registry.reloads_ok", "1"]), "\(stats.stdout)")
        #expect(rows.contains(["registry.personalities", "1"]), "\(stats.stdout)")
        #expect(rows.contains(["messages.in", "0"]), "\(stats.stdout)")
    }

    @Test("a wrong token, a missing token, an unreachable server and a remote URL each fail plainly")
    func failures() throws {
        let admin = try AdminListener(files: ["alpha.yaml": personality("alpha")])
        let wrong = try admin.persona(["stats"], token: "nope")
        #expect(
            wrong.status == 1
                && wrong.stderr.contains("the server refused the admin token (wrong bearer token)"))
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent(
            "persona-no-data-\(UUID().uuidString)")
        var environment = ProcessInfo.processInfo.environment
        environment["PERSONA_ADMIN_TOKEN"] = nil
        environment["PERSONA_ADMIN_URL"] = "http://127.0.0.1:\(admin.port)"
        let missing = try ProcessResult.persona(
            ["stats", "--data-dir", empty.path], environment: environment)
        #expect(missing.status == 1 && missing.stderr.contains("no admin token"))
        let unreachable = try ProcessResult.persona(
            ["stats", "--token", "x", "--admin-url", "http://127.0.0.1:1"], environment: environment)
        #expect(unreachable.status == 1 && unreachable.stderr.contains("cannot reach the admin API"))
        let remote = try ProcessResult.persona(
            ["stats", "--token", "x", "--admin-url", "http://192.0.2.1:8081"], environment: environment)
        #expect(remote.status == 64 && remote.stderr.contains("not a loopback address"))
    }

    @Test("reads the token from the data directory's admin-token file")
    func tokenFromDataDirectory() throws {
        let admin = try AdminListener(files: ["alpha.yaml": personality("alpha")])
        let data = admin.folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try Data("\(admin.token)\n".utf8).write(to: data.appendingPathComponent("admin-token"))
        var environment = ProcessInfo.processInfo.environment
        environment["PERSONA_ADMIN_TOKEN"] = nil
        let result = try ProcessResult.persona(
            ["sessions", "--admin-url", "http://127.0.0.1:\(admin.port)", "--data-dir", data.path],
            environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
    }
}
