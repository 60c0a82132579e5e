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

@Suite("persona serve and its data directory")
struct ServeStoreStartupTests {
    @Test("a corrupt database stops serve before it listens, with a message naming the file")
    func corruptDatabase() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("persona-corrupt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let file = data.appendingPathComponent("persona.db")
        try Data(repeating: 0x42, count: 4_096).write(to: file)
        let result = try ProcessResult.run(
            PersonaBinary.url, ["serve", "--port", "0", "--personalities", chatFixtures, "--data-dir", data.path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("\(file.path) is not a usable database"), "\(result.stderr)")
    }

    @Test("a second serve on the same data directory is refused at start")
    func secondServer() throws {
        let first = try ServeProcess(["--personalities", chatFixtures])
        let result = try ProcessResult.run(
            PersonaBinary.url,
            ["serve", "--port", "0", "--personalities", chatFixtures, "--data-dir", first.dataDirectory])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is locked"), "\(result.stderr)")
    }
}
