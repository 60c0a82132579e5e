import Foundation
import PersonaTestSupport
import Testing

/// Runs `Python/SCRIPT` with the persona binary, the chat fixtures and a fresh data directory.
private func runDurabilityScript(_ script: String, _ extra: [String] = []) throws -> [String] {
    let data = FileManager.default.temporaryDirectory.appendingPathComponent("persona-durability-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: data) }
    let path = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Python/\(script)").path
    let result = try ProcessResult.run(
        URL(fileURLWithPath: "/usr/bin/env"),
        ["python3", path, PersonaBinary.url.path, chatFixtures, data.path] + extra)
    #expect(result.status == 0, "\(script): stdout: \(result.stdout)\nstderr: \(result.stderr)")
    return result.stdout.split(separator: "\n").map(String.init)
}

@Suite(
    "durable sessions, live, with the Python websockets client",
    .enabled(if: chatPythonAvailable, "python3 'websockets' is not installed (pip install -r Tests/requirements.txt)"),
    .serialized)
struct DurabilityLiveTests {
    @Test("kill -9 under load loses and repeats no acknowledged message, three times over (120 sessions)")
    func killNine() throws {
        let lines = try runDurabilityScript("durability.py", ["120", "3"])
        #expect(lines.count == 4, "\(lines)")
        #expect(lines.last?.hasPrefix("ok after 3 kills every one of") == true)
        #expect(lines.dropLast().allSatisfy { $0.hasPrefix("ok round") })
    }

    @Test("a full store refuses with store_unavailable, /ready says 503, nothing acked is lost, and it recovers")
    func storeFull() throws {
        let lines = try runDurabilityScript("store_full.py")
        #expect(
            lines.dropFirst() == [
                "ok /ready answers 503 while the store cannot write",
                lines.count > 2 ? lines[2] : "",
                "ok after space returned /ready is 200 again and messages are acknowledged",
            ])
        #expect(lines.first?.hasPrefix("ok refused store_unavailable after") == true)
    }
}
