import Foundation
import PersonaTestSupport
import Testing

@Suite("persona test, explain and import")
struct ScriptCommandTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "persona-script-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let failing = """
        id: failing-bot
        name: Failing
        description: Has one failing test.
        engine: script
        script:
          rules:
            - { match: "hi", reply: "Hello!" }
        tests:
          - say: "hi"
            expect: "Hello!"
          - say: "hi"
            expect: "Howdy!"
        """

    @Test("runs the shipped personalities' tests and prints the summary line")
    func shipped() throws {
        let result = try ProcessResult.persona(["test"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.wholeMatch(of: /\d+ passed, 0 failed/) != nil, "\(last)")
        #expect(result.stdout.contains("✓ feature-tour: "))
    }

    @Test("a failing test prints a cross and a diff, and exits 1")
    func failingTest() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.failing.write(
            to: directory.appendingPathComponent("failing.yaml"), atomically: true, encoding: .utf8)
        let result = try ProcessResult.persona(["test", directory.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("✓ failing-bot: hi\n✗ failing-bot: hi\n"))
        #expect(result.stdout.contains("expected: \"Howdy!\"\n         got: \"Hello!\""))
        #expect(result.stdout.hasSuffix("1 passed, 1 failed\n"))
    }

    @Test("explain names the rule, its location, the captures and the redirect")
    func explain() throws {
        let result = try ProcessResult.persona(["explain", "feature-tour", "hey", "--dir", "Personalities"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("matched trigger \"hey\" at Personalities/feature-tour.yaml:"))
        #expect(result.stdout.contains("redirect to \"show me around\" (depth 1)"))
        #expect(result.stdout.contains("reply: Gladly!"))
    }

    @Test("import writes a personality that persona test can load, warning about macros on stderr")
    func importRiveScript() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let rive = directory.appendingPathComponent("old-bot.rive")
        try "! version = 2.0\n! global x = 1\n\n+ hello\n- Hi <get name>, x is <env x>!\n+ my (@pets)\n- A pet.\n".write(
            to: rive, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("old-bot.yaml")
        let result = try ProcessResult.persona(["import", "rivescript", rive.path, "-o", output.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("old-bot.rive:6:1: warning: array '@pets' is not defined"))
        #expect(result.stderr.contains("imported 2 rules, 1 array, 0 substitutions, 0 topics; nothing dropped"))
        let validated = try ProcessResult.persona(["validate", output.path])
        #expect(validated.status == 0, "\(validated.stdout)")
        let loaded = try ProcessResult.persona(["test", directory.path])
        #expect(loaded.stdout.hasSuffix("0 passed, 0 failed\n"), "\(loaded.stdout)\(loaded.stderr)")
    }

    @Test("import exits 1 and names what it dropped when a brain has object macros")
    func importDrops() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let rive = directory.appendingPathComponent("macro.rive")
        try "> object shout javascript\n  return 1;\n< object\n+ hi\n- <call>shout</call>Hi\n".write(
            to: rive, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("macro.yaml")
        let result = try ProcessResult.persona(["import", "rivescript", rive.path, "-o", output.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("macro.rive:1:1: error: object macro 'shout' cannot be imported"))
        #expect(result.stderr.contains("macro.rive:5:1: error: object macro call"))
        #expect(result.stderr.contains("imported 1 rule, 0 arrays, 0 substitutions, 0 topics; dropped 2: "))
        #expect(FileManager.default.fileExists(atPath: output.path))
    }

    @Test("persona test --format json gives each test and turn with expected, got and passed")
    func testJSON() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.failing.write(
            to: directory.appendingPathComponent("failing.yaml"), atomically: true, encoding: .utf8)
        let result = try ProcessResult.persona(["test", directory.path, "--format", "json"])
        #expect(result.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["passed"] as? Int == 1)
        #expect(json["failed"] as? Int == 1)
        let tests = try #require(json["tests"] as? [[String: Any]])
        #expect(tests.map { $0["personality"] as? String } == ["failing-bot", "failing-bot"])
        #expect(tests.map { $0["passed"] as? Bool } == [true, false])
        let turn = try #require((tests[1]["turns"] as? [[String: Any]])?.first)
        #expect(turn["say"] as? String == "hi")
        #expect(turn["expected"] as? String == "Howdy!")
        #expect(turn["got"] as? String == "Hello!")
        #expect(turn["passed"] as? Bool == false)
        #expect((tests[1]["location"] as? String)?.hasSuffix("failing.yaml:11:5") == true)
    }
}
