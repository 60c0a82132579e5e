import Foundation
import HTTP1
import HTTPServer
import JSON
import PersonaTestSupport
import Testing

/// Whether python3 has the packages the live operations tests drive the server with.
private let pythonReady: Bool = {
    (try? ProcessResult.run(
        URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import websockets, prometheus_client"]))?
        .status == 0
}()

/// A personality file for the live tests.
private func personality(_ id: String, greeting: String = "Hello!", tokensPerSecond: Int = 0) -> String {
    """
    id: \(id)
    name: \(id.capitalized)
    description: Live reload test.
    engine: script
    greeting: "\(greeting)"
    stream: { tokens_per_second: \(tokensPerSecond) }
    script:
      rules:
        - match: "short"
          reply: "once upon a time"
        - match: "*"
          reply: "once upon a time there was a tiny program that served chats over a socket and it streamed every token one after another until the very end of the tale"

    """
}

/// A temporary personality folder.
private final class Folder {
    let url: URL
    init(_ files: [String: String]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "persona-ops-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try write(name, text) }
    }
    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
    }
    func remove(_ name: String) throws {
        try FileManager.default.removeItem(at: url.appendingPathComponent(name))
    }
    deinit { try? FileManager.default.removeItem(at: url) }
}

extension OpsServeProcess {
    /// Calls the admin API (or, with `publicListener`, the same path on the public one).
    func call(_ method: HTTPMethod, _ path: String, token: String? = nil, publicListener: Bool = false) throws
        -> (status: Int, json: JSONValue, text: String)
    {
        let url = try HTTPClientURL(parsing: "http://127.0.0.1:\(publicListener ? port : adminPort)")
        var headers: HTTPHeaders = [:]
        if let token = token ?? (publicListener ? nil : self.token) {
            headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        let response = try HTTPClient.perform(method: method, url: url, path: path, headers: headers)
        return (response.status.code, (try? JSONValue(parsing: response.text)) ?? .null, response.text)
    }

    /// The serving snapshot version.
    func version() throws -> String {
        try call(.get, "/admin/personalities").json["version"]?.stringValue ?? ""
    }

    /// Waits (10 s at most) until the serving version differs from `old`; returns it.
    func waitForVersion(otherThan old: String) throws -> String? {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let now = try version()
            if now != old { return now }
            usleep(20_000)
        }
        return nil
    }

    /// Runs the `persona` binary against this server's admin API.
    func persona(_ arguments: [String]) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["PERSONA_ADMIN_URL"] = "http://127.0.0.1:\(adminPort)"
        environment["PERSONA_ADMIN_TOKEN"] = token
        return try ProcessResult.persona(arguments, environment: environment)
    }
}

@Suite("Operations, live: hot reload, admin API, /ready and /metrics on a real server")
struct OpsLiveTests {
    private func startFolder() throws -> Folder {
        try Folder([
            "storyteller.yaml": personality("storyteller", greeting: "Gather round.", tokensPerSecond: 50),
            "beta.yaml": personality("beta"),
        ])
    }

    @Test(
        "a reload that adds, changes and removes personalities while sessions are active",
        .enabled(if: pythonReady, "python3 'websockets' and 'prometheus_client' are needed"))
    func reloadWhileActive() throws {
        let folder = try startFolder()
        let server = try OpsServeProcess(personalities: folder.url.path)
        let script = PersonaBinary.packageRoot.appendingPathComponent(
            "Tests/PersonaTests/Python/ops_reload_live.py")
        let result = try ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "python3", script.path, "ws://127.0.0.1:\(server.port)/v1/ws",
                "http://127.0.0.1:\(server.adminPort)", server.token, folder.url.path,
            ])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(
            result.stdout.split(separator: "\n") == [
                "ok sessions active", "ok reload applied mid-reply",
                "ok streaming reply finished whole on the old version",
                "ok removed personality's session ended with a reason", "ok new sessions use the new version",
                "ok the old session moved to the new version after its reply",
            ])
        #expect(server.stop() == 0)
        let log = server.standardError()
        #expect(log.contains("event=reload trigger=admin result=ok"), "\(log)")
        // One line per session lifecycle event, with the reason it ended — and never text.
        #expect(log.contains("event=session_started"), "\(log)")
        #expect(log.contains("event=session_ended") && log.contains("reason=personality_removed"), "\(log)")
        #expect(!log.contains("tell me a story"), "a message text reached the log")
    }

    @Test(
        "a broken reload is rejected with its location, the old set keeps serving; a dry run changes nothing")
    func brokenAndDryRun() throws {
        let folder = try startFolder()
        let server = try OpsServeProcess(personalities: folder.url.path)
        let before = try server.version()
        try folder.write("broken.yaml", personality("broken") + "mood: grumpy\n")
        let rejected = try server.persona(["reload"])
        #expect(rejected.status == 1)
        #expect(rejected.stderr.contains("broken.yaml:13:1: error: unknown key 'mood'"), "\(rejected.stderr)")
        #expect(try server.version() == before)
        #expect(try server.call(.get, "/admin/personalities").json["personalities"]?.arrayValue?.count == 2)
        #expect(try server.call(.get, "/ready", publicListener: true).status == 200)

        try folder.remove("broken.yaml")
        try folder.write("gamma.yaml", personality("gamma"))
        let dry = try server.persona(["reload", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("\n+ gamma "), "\(dry.stdout)")
        #expect(try server.version() == before)
        let stats = try server.call(.get, "/admin/stats").json
        #expect(stats["registry"]?["reloads_failed"] == 1 && stats["registry"]?["reloads_ok"] == 0)
        #expect(server.stop() == 0)
    }

    @Test("SIGHUP and --watch give the same result as each other")
    func sighupMatchesWatch() throws {
        let watched = try startFolder()
        let signalled = try startFolder()
        let watching = try OpsServeProcess(personalities: watched.url.path, arguments: ["--watch"])
        let plain = try OpsServeProcess(personalities: signalled.url.path)
        let before = try plain.version()
        #expect(try watching.version() == before)
        for folder in [watched, signalled] {
            try folder.write("gamma.yaml", personality("gamma"))
            try folder.write(
                "storyteller.yaml", personality("storyteller", greeting: "Hush now.", tokensPerSecond: 50))
            try folder.remove("beta.yaml")
        }
        plain.send(SIGHUP)
        let afterSignal = try #require(try plain.waitForVersion(otherThan: before))
        let afterWatch = try #require(try watching.waitForVersion(otherThan: before))
        #expect(afterSignal == afterWatch)
        let ids = { (server: OpsServeProcess) in
            try server.call(.get, "/admin/personalities").json["personalities"]?.arrayValue?.compactMap {
                $0["id"]?.stringValue
            }
        }
        #expect(try ids(plain) == ["gamma", "storyteller"])
        #expect(try ids(watching) == ["gamma", "storyteller"])
        #expect(plain.stop() == 0 && watching.stop() == 0)
        #expect(plain.standardError().contains("trigger=sighup result=ok"))
        #expect(watching.standardError().contains("trigger=watch result=ok"))
    }

    @Test("the admin API refuses a missing or wrong token and is not reachable on the public listener")
    func adminGuarded() throws {
        let folder = try startFolder()
        let server = try OpsServeProcess(personalities: folder.url.path)
        for path in ["/admin/stats", "/admin/personalities", "/admin/sessions"] {
            #expect(try server.call(.get, path, token: "").status == 401)
            #expect(try server.call(.get, path, token: "ops-live-tokeN").status == 401)
            #expect(try server.call(.get, path).status == 200)
            let exposed = try server.call(.get, path, token: server.token, publicListener: true)
            #expect(exposed.status == 404, "\(path) on the public listener: \(exposed.status)")
        }
        let reload = try server.call(.post, "/admin/reload", token: server.token, publicListener: true)
        #expect(reload.status == 404 || reload.status == 405)
        #expect(try server.call(.post, "/admin/reload", token: "wrong").status == 401)
        #expect(try server.call(.get, "/admin/stats").json["registry"]?["reloads_ok"] == 0)
        #expect(server.stop() == 0)
    }

    @Test(
        "/metrics parses with prometheus_client and counts the reloads; /ready is 200",
        .enabled(if: pythonReady, "python3 'websockets' and 'prometheus_client' are needed"))
    func metrics() throws {
        let folder = try startFolder()
        let server = try OpsServeProcess(personalities: folder.url.path)
        try folder.write("gamma.yaml", personality("gamma"))
        #expect(try server.call(.post, "/admin/reload").status == 200)
        let version = try server.version()
        #expect(try server.call(.get, "/ready", publicListener: true).json["status"] == "ready")
        let text = try server.call(.get, "/metrics", publicListener: true).text
        let script = PersonaBinary.packageRoot.appendingPathComponent(
            "Tests/PersonaTests/Python/ops_parse_metrics.py")
        let parsed = try ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path], input: text)
        try #require(parsed.status == 0, "\(parsed.stderr)")
        let families = try JSONValue(parsing: parsed.stdout)["families"]?.arrayValue ?? []
        func value(_ sample: String, _ labels: JSONValue = [:]) -> JSONValue? {
            for family in families {
                for entry in family["samples"]?.arrayValue ?? []
                where entry["name"]?.stringValue == sample && entry["labels"] == labels {
                    return entry["value"]
                }
            }
            return nil
        }
        #expect(value("persona_reloads_total", ["result": "ok"]) == 1)
        #expect(value("persona_reloads_total", ["result": "failed"]) == 0)
        #expect(value("persona_registry_info", ["version": .string(version)]) == 1)
        #expect(value("persona_registry_personalities") == 3)
        #expect(value("persona_time_to_first_token_seconds_count") == 0)
        let names = Set(families.compactMap { $0["name"]?.stringValue })
        for name in [
            "persona_connections", "persona_sessions", "persona_sessions_by_personality",
            "persona_messages_in",
            "persona_messages_out", "persona_tokens_streamed", "persona_time_to_first_token_seconds",
            "persona_reply_latency_seconds", "persona_rate_limited", "persona_limit_reached",
            "persona_cache_hits",
            "persona_cache_misses", "persona_cache_evictions", "persona_pii_redactions", "persona_reloads",
            "persona_registry_info", "persona_matchmaking_wait_seconds", "persona_fallbacks",
        ] {
            #expect(names.contains(name), "missing \(name)")
        }
        #expect(server.stop() == 0)
    }
}
