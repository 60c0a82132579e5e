import ChatProtocol
import Foundation
import HTTP1
import HTTPServer
import JSON
import PersonaServer
import Personality
import Reactor
import Synchronization
import Testing

/// An admin listener on an ephemeral loopback port over an ``AdminTestBackend``.
private final class AdminHarness {
    let backend: AdminTestBackend
    let group: EventLoopGroup
    let server: HTTPServer
    let url: HTTPClientURL
    let token = AdminToken("s3cret-token")

    init(files: [SourceFile]) throws {
        backend = try AdminTestBackend(files: files)
        group = try EventLoopGroup(loops: 1)
        server = HTTPServer(router: AdminRoutes.router(backend: backend, token: token), group: group)
        let bound = try server.start(at: SocketAddress(host: "127.0.0.1", port: 0))
        url = try HTTPClientURL(parsing: "http://127.0.0.1:\(bound.port)")
    }

    deinit {
        server.shutdown(gracePeriod: .seconds(1))
        group.shutdown()
    }

    func call(_ method: HTTPMethod, _ path: String, token: String? = "s3cret-token") throws -> (
        status: Int, json: JSONValue
    ) {
        var headers: HTTPHeaders = [:]
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try HTTPClient.perform(method: method, url: url, path: path, headers: headers)
        return (response.status.code, try JSONValue(parsing: response.text))
    }
}

@Suite("Admin API over a real hub and coordinator")
struct AdminRoutesTests {
    @Test(
        "refuses a missing or wrong token on every route with 401 and a JSON error",
        arguments: [
            (HTTPMethod.post, "/admin/reload"), (.get, "/admin/personalities"),
            (.get, "/admin/personalities/alpha"),
            (.get, "/admin/sessions"), (.get, "/admin/stats"), (.get, "/admin/nothing-here"),
        ])
    func refusesWithoutToken(method: HTTPMethod, path: String) throws {
        let harness = try AdminHarness(files: [AdminFixtures.personality("alpha")])
        for token in [nil, "s3cret-tokem", "s3cret-token-and-more", ""] as [String?] {
            let answer = try harness.call(method, path, token: token)
            #expect(answer.status == 401, "token \(token ?? "none")")
            #expect(answer.json["error"]?["code"] == "unauthorized")
        }
        // Refused reloads changed nothing.
        #expect(harness.backend.coordinator.reloadCounts == (0, 0))
    }

    @Test("lists personalities with versions, and one personality's detail; 404 for an unknown id")
    func personalities() throws {
        let harness = try AdminHarness(files: [
            AdminFixtures.personality("alpha"), AdminFixtures.personality("beta"),
        ])
        let snapshot = harness.backend.currentSnapshot()
        let list = try harness.call(.get, "/admin/personalities")
        #expect(list.status == 200)
        #expect(list.json["version"]?.stringValue == snapshot.version.description)
        #expect(list.json["personalities"]?.arrayValue?.map { $0["id"] } == ["alpha", "beta"])
        #expect(
            list.json["personalities"]?[0]?["version"]?.stringValue
                == snapshot.personality("alpha")?.version.description)
        let detail = try harness.call(.get, "/admin/personalities/beta")
        #expect(detail.status == 200 && detail.json["id"] == "beta" && detail.json["file"] == "beta.yaml")
        let missing = try harness.call(.get, "/admin/personalities/gamma")
        #expect(missing.status == 404 && missing.json["error"]?["code"] == "unknown_personality")
    }

    @Test("a dry run reports the diff and changes nothing")
    func dryRun() throws {
        let harness = try AdminHarness(files: [AdminFixtures.personality("alpha")])
        let before = harness.backend.currentSnapshot()
        harness.backend.files.withLock { $0.append(AdminFixtures.personality("beta")) }
        let answer = try harness.call(.post, "/admin/reload?dry_run=1")
        #expect(answer.status == 200)
        #expect(answer.json["result"] == "dry_run")
        #expect(answer.json["diff"]?["added"]?[0]?["id"] == "beta")
        #expect(harness.backend.currentSnapshot() === before)
        #expect(try harness.call(.get, "/admin/personalities").json["personalities"]?.arrayValue?.count == 1)
        #expect(harness.backend.coordinator.reloadCounts == (0, 0))
    }

    @Test("a reload adds, changes and removes personalities and answers with the diff")
    func applies() throws {
        let harness = try AdminHarness(files: [
            AdminFixtures.personality("alpha"), AdminFixtures.personality("beta"),
        ])
        let old = harness.backend.currentSnapshot()
        harness.backend.files.withLock {
            $0 = [AdminFixtures.personality("alpha", greeting: "Howdy!"), AdminFixtures.personality("gamma")]
        }
        let answer = try harness.call(.post, "/admin/reload")
        #expect(answer.status == 200)
        #expect(answer.json["result"] == "applied")
        let new = harness.backend.currentSnapshot()
        #expect(answer.json["version"]?.stringValue == new.version.description)
        #expect(answer.json["diff"]?["added"]?.arrayValue?.map { $0["id"] } == ["gamma"])
        #expect(answer.json["diff"]?["removed"]?.arrayValue?.map { $0["id"] } == ["beta"])
        let changed = answer.json["diff"]?["changed"]?[0]
        #expect(changed?["id"] == "alpha")
        #expect(changed?["old_version"]?.stringValue == old.personality("alpha")?.version.description)
        #expect(changed?["new_version"]?.stringValue == new.personality("alpha")?.version.description)
        #expect(changed?["fields"] == ["greeting"])
        #expect(new.ids == ["alpha", "gamma"])
    }

    @Test("a broken reload returns every error with file:line:col and keeps the old snapshot")
    func rejects() throws {
        let harness = try AdminHarness(files: [AdminFixtures.personality("alpha")])
        let before = harness.backend.currentSnapshot()
        harness.backend.files.withLock {
            $0.append(
                SourceFile(
                    name: "broken.yaml",
                    text: "id: broken\nname: Broken\nengine: script\nscript: { rules: [] }\nmood: grumpy\n"))
        }
        let answer = try harness.call(.post, "/admin/reload")
        #expect(answer.status == 422)
        #expect(answer.json["result"] == "rejected")
        let errors = answer.json["errors"]?.arrayValue ?? []
        #expect(!errors.isEmpty)
        #expect(
            errors.allSatisfy {
                $0["file"] == "broken.yaml" && ($0["line"]?.intValue ?? 0) > 0
                    && ($0["column"]?.intValue ?? 0) > 0
            })
        #expect(
            errors.contains { $0["text"]?.stringValue?.hasPrefix("broken.yaml:5:1: error:") == true },
            "\(errors)")
        #expect(answer.json["diff"] == .null)
        #expect(harness.backend.currentSnapshot() === before)
        #expect(harness.backend.coordinator.reloadCounts == (0, 1))
    }

    @Test("run_tests rejects a set whose author tests fail, pointing at the test")
    func runTests() throws {
        let harness = try AdminHarness(files: [AdminFixtures.personality("alpha")])
        harness.backend.files.withLock { $0 = [AdminFixtures.personality("alpha", test: "Goodbye!")] }
        let withoutTests = try harness.call(.post, "/admin/reload?dry_run=1")
        #expect(withoutTests.json["result"] == "dry_run")
        let answer = try harness.call(.post, "/admin/reload?run_tests=1")
        #expect(answer.status == 422)
        #expect(answer.json["tests"]?["run"] == 1 && answer.json["tests"]?["failed"] == 1)
        #expect(answer.json["errors"]?[0]?["file"] == "alpha.yaml")
        #expect(answer.json["errors"]?[0]?["code"] == "test-failed")
        harness.backend.files.withLock { $0 = [AdminFixtures.personality("alpha", test: "Hi there!")] }
        let passing = try harness.call(.post, "/admin/reload?run_tests=true")
        #expect(passing.status == 200 && passing.json["result"] == "applied")
        #expect(passing.json["tests"]?["failed"] == 0)
    }

    @Test("sessions: live counts by kind and personality, paged, limits exceeded by one refused")
    func sessions() throws {
        let harness = try AdminHarness(files: [
            AdminFixtures.personality("alpha"), AdminFixtures.personality("beta"),
        ])
        for _ in 0..<3 { harness.backend.startSession(with: "alpha") }
        harness.backend.startSession(with: "beta")
        let first = try harness.call(.get, "/admin/sessions?per_page=3")
        #expect(first.status == 200)
        #expect(first.json["total"] == 4)
        #expect(first.json["by_kind"] == ["bot": 4])
        #expect(first.json["by_personality"] == ["alpha": 3, "beta": 1])
        #expect(first.json["sessions"]?.arrayValue?.count == 3)
        let second = try harness.call(.get, "/admin/sessions?per_page=3&page=2")
        #expect(second.json["sessions"]?.arrayValue?.map { $0["personality"] } == ["beta"])
        let ids = (first.json["sessions"]?.arrayValue ?? []) + (second.json["sessions"]?.arrayValue ?? [])
        #expect(Set(ids.compactMap { $0["id"]?.stringValue }).count == 4)
        #expect(try harness.call(.get, "/admin/sessions?per_page=1000").status == 200)
        #expect(try harness.call(.get, "/admin/sessions?per_page=1001").status == 400)
        #expect(try harness.call(.get, "/admin/sessions?page=0").status == 400)
    }

    @Test("a reload that removes a live session's personality ends it with a reason")
    func removalEndsSessions() throws {
        let harness = try AdminHarness(files: [
            AdminFixtures.personality("alpha"), AdminFixtures.personality("beta"),
        ])
        harness.backend.startSession(with: "beta")
        harness.backend.files.withLock { $0 = [AdminFixtures.personality("alpha")] }
        #expect(try harness.call(.post, "/admin/reload").json["result"] == "applied")
        #expect(try harness.call(.get, "/admin/sessions").json["total"] == 0)
        let ended = harness.backend.sent.compactMap { message -> String? in
            if case .sessionEnded(_, let reason, _) = message { return reason.rawValue }
            return nil
        }
        #expect(ended == ["personality_removed"])
    }

    @Test("stats report counters, live sessions and reloads")
    func stats() throws {
        let harness = try AdminHarness(files: [AdminFixtures.personality("alpha")])
        harness.backend.startSession(with: "alpha")
        #expect(try harness.call(.post, "/admin/reload").status == 200)
        let stats = try harness.call(.get, "/admin/stats")
        #expect(stats.status == 200)
        #expect(stats.json["sessions"]?["live_by_personality"] == ["alpha": 1])
        #expect(stats.json["sessions"]?["started_by_kind"]?["bot"] == 1)
        #expect(stats.json["registry"]?["reloads_ok"] == 1)
        #expect(stats.json["registry"]?["personalities"] == 1)
    }
}
