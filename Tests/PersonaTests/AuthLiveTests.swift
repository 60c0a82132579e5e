import Foundation
import PersonaTestSupport
import Testing

/// The page and key tests' personalities: `parrot` (Polly, 20 tokens/s), a `free` tier with two
/// replies per session, random chats falling back to Polly after 3 s.
let pageFixtures = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Fixtures/page").path

/// Whether the `websockets` package is installed (the key tests' WebSocket peer).
let websocketsPythonAvailable = pythonCanImport("websockets.sync.client")

/// A `persona serve --auth keys` (or `auth`) on the page fixtures, with its admin URL.
struct KeyedServer {
    let server: ServeProcess
    let adminURL: String

    init(_ extra: [String] = [], auth: String = "keys") throws {
        server = try ServeProcess(["--personalities", pageFixtures, "--auth", auth, "--store", "memory"] + extra)
        var admin = ""
        while let line = server.nextLine() {
            if let range = line.range(of: "admin API on ") {
                admin = String(line[range.upperBound...].prefix { $0 != " " })
                break
            }
        }
        adminURL = admin
    }

    /// `persona keys …` against this server; returns the result.
    func keys(_ arguments: [String]) throws -> ProcessResult {
        try ProcessResult.persona(["keys"] + arguments + ["--admin-url", adminURL, "--data-dir", server.dataDirectory])
    }

    /// Creates a key and returns its text and id.
    func create(_ arguments: [String]) throws -> (text: String, id: String) {
        let result = try keys(["create", "--format", "json"] + arguments)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let text = object?["key"] as? String ?? ""
        let id = object?["id"] as? String ?? ""
        #expect(result.status == 0 && text.hasPrefix("pk_"), "keys create: \(result.stderr)")
        return (text, id)
    }
}

@Suite(
    "API keys, live: every door refuses bad keys alike; tiers, tenants and origins apply",
    .enabled(if: websocketsPythonAvailable, "python3 'websockets' is not installed"))
struct AuthLiveTests {
    @Test("missing, malformed, wrong, revoked and expired keys get one 401 on REST, OpenAI, /v1/ws and Socket.IO; tiers, tenants, origins on every door; no secret in logs, /metrics or keys.yaml")
    func keysOnEveryDoor() throws {
        let keyed = try KeyedServer([
            "--socketio-deployment", "acme-widget=parrot@acme", "--socketio-deployment", "globex-widget=parrot@globex",
        ])
        let good = try keyed.create(["--tenant", "acme"])
        let free = try keyed.create(["--tenant", "acme", "--tier", "free"])
        let other = try keyed.create(["--tenant", "globex"])
        let revoked = try keyed.create(["--tenant", "acme"])
        let expired = try keyed.create(["--tenant", "acme", "--expires-in", "1"])
        let expiredAt = Date().timeIntervalSince1970 + 1
        let origin = try keyed.create(["--tenant", "acme", "--origins", "https://app.example"])
        let revoke = try keyed.keys(["revoke", revoked.id])
        #expect(revoke.status == 0 && revoke.stdout.contains("revoked key \(revoked.id)"), "\(revoke.stderr)")
        let listed = try keyed.keys(["list"])
        #expect(listed.stdout.contains(revoked.id) && listed.stdout.contains("revoked"), "\(listed.stdout)")

        let keys: [String: Any] = [
            "good": good.text, "free": free.text, "other": other.text, "revoked": revoked.text,
            "expired": expired.text, "expired_at": expiredAt, "origin": origin.text,
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: keys), as: UTF8.self)
        let script = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Python/keys_live.py")
        let result = try ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, String(keyed.server.port), json])
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 34, "\(result.stdout)")

        // The admin view narrowed to a tenant: only acme's sessions (the python client left bot
        // sessions resumable), none for globex, which started none.
        let acme = try sessions(keyed, tenant: "acme")
        #expect(!acme.isEmpty && acme.allSatisfy { $0 == "acme" }, "\(acme)")
        #expect(try sessions(keyed, tenant: "globex").isEmpty)

        let metrics = try ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", "-c", "import urllib.request,sys; sys.stdout.write(urllib.request.urlopen('http://127.0.0.1:\(keyed.server.port)/metrics').read().decode())"])
        #expect(metrics.stdout.contains("persona_"), "metrics: \(metrics.stderr)")
        let file = try String(contentsOfFile: keyed.server.dataDirectory + "/keys.yaml", encoding: .utf8)
        _ = keyed.server.stop()
        let logs = keyed.server.standardError()
        for secret in [good, free, other, revoked, expired, origin].map({ String($0.text.dropFirst(16)) }) {
            #expect(!logs.contains(secret) && !metrics.stdout.contains(secret) && !file.contains(secret))
        }
        #expect(file.contains(good.id) && file.contains("secret_sha256"))
    }

    @Test("with --auth off a valid key still applies everywhere: its tier on Socket.IO, its origins for CORS and refusals")
    func keysApplyWithAuthOff() throws {
        let keyed = try KeyedServer(auth: "off")
        let free = try keyed.create(["--tenant", "acme", "--tier", "free"])
        let origin = try keyed.create(["--tenant", "acme", "--origins", "https://app.example"])
        let keys = #"{"free":""# + free.text + #"","origin":""# + origin.text + #""}"#
        let script = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Python/keys_live.py")
        let result = try ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, String(keyed.server.port), keys, "off"])
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 5, "\(result.stdout)")
        _ = keyed.server.stop()
    }

    /// The tenants of the sessions `persona sessions --tenant` lists.
    private func sessions(_ keyed: KeyedServer, tenant: String) throws -> [String] {
        let result = try ProcessResult.persona(
            ["sessions", "--tenant", tenant, "--format", "json", "--admin-url", keyed.adminURL, "--data-dir",
             keyed.server.dataDirectory])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let list = object?["sessions"] as? [[String: Any]] ?? []
        return list.map { $0["tenant"] as? String ?? "none" }
    }

    @Test("serve refuses a non-loopback address without keys, and starts with --auth off --i-know or --auth keys")
    func refusesOpenNetwork() throws {
        let refused = try ProcessResult.persona(
            ["serve", "--host", "0.0.0.0", "--port", "0", "--personalities", pageFixtures, "--store", "memory"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("refusing to listen on 0.0.0.0 without API keys"), "\(refused.stderr)")
        let refusedOff = try ProcessResult.persona(
            ["serve", "--host", "0.0.0.0", "--port", "0", "--auth", "off", "--personalities", pageFixtures, "--store", "memory"])
        #expect(refusedOff.status == 64)
        for flags in [["--auth", "off", "--i-know"], ["--auth", "keys"]] {
            let server = try ServeProcess(
                ["--host", "0.0.0.0", "--personalities", pageFixtures, "--store", "memory"] + flags)
            #expect(server.port > 0)
            _ = server.stop()
        }
    }
}
