import Foundation
import PersonaTestSupport
import Testing

@Suite("persona serve start-up")
struct ServeChatStartupTests {
    @Test("prints what it loaded on the line after the listening line")
    func loadedLine() throws {
        let server = try ServeProcess(["--personalities", chatFixtures, "--matchmaking-timeout", "0.5"])
        let line = server.nextLine()
        #expect(
            line?.hasPrefix("loaded 4 personalities from \(chatFixtures) (registry version ") == true,
            "\(line ?? "EOF")")
        #expect(line?.contains("matchmaking timeout 0.5 seconds") == true)
        #expect(server.stop() == 0)
    }

    @Test("refuses to start when the personalities do not validate, printing each diagnostic")
    func invalidPersonalities() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "persona-invalid-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "id: Not Valid\nname: x\nengine: script\nscript: { rules: [] }\nbogus: 1\n".write(
            to: directory.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let result = try ProcessResult.run(
            PersonaBinary.url, ["serve", "--port", "0", "--personalities", directory.path])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("bad.yaml:"), "\(result.stderr)")
        #expect(result.stderr.contains("did not validate; not starting"))
    }

    @Test("an override limits file of any name replaces limits.yaml, and its problems name its real path")
    func limitsOverride() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "persona-limits-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bench.yaml")
        try "default: roomy\nsets:\n  roomy:\n    responses_per_session: 0\n".write(
            to: file, atomically: true, encoding: .utf8)
        let result = try ProcessResult.run(
            PersonaBinary.url,
            ["serve", "--port", "0", "--personalities", chatFixtures, "--limits", file.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("\(file.path):4:"), "\(result.stderr)")
        #expect(!result.stderr.contains("#override"))
    }
}
