import Foundation
import JSON
import PersonaTestSupport
import Testing

@Suite("persona validate, list and schema, run as the real binary")
struct CLIValidateTests {
    static let broken = "Tests/PersonaTests/Fixtures/broken"

    @Test("validates every shipped personality with no errors and no warnings")
    func shippedPersonalitiesAreClean() throws {
        let result = try ProcessResult.persona(["validate", "Personalities"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasSuffix("Checked 12 files (9 personalities): 0 errors, 0 warnings.\n"), "\(result.stdout)")
    }

    @Test("reports every error of a broken folder in one run, compiler style, and exits 1")
    func brokenFolder() throws {
        let result = try ProcessResult.persona(["validate", Self.broken])
        #expect(result.status == 1)
        let b = Self.broken
        #expect(
            result.stdout == """
                \(b)/bad-id.yaml:1:5: error: invalid id 'Pirate Pete': ids use lowercase letters a-z, digits and '-', start with a letter, do not end with '-', and are at most 64 characters; try 'pirate-pete'
                \(b)/limited.yaml:5:9: error: limit set 'strcit' is not defined in limits.yaml; did you mean 'strict'?
                \(b)/limits.yaml:2:53: error: 'idle_timeout' must be a duration such as 500ms, 10s, 5m, 1h or 1h30m; found '10'
                \(b)/typos.yaml:4:1: error: unknown key 'greting' in personality; did you mean 'greeting'?
                \(b)/typos.yaml:5:9: error: no engine named 'scirpt'; did you mean 'script'? (available engines: llm, process, script)
                Checked 4 files (1 personality): 5 errors, 0 warnings.

                """)
        #expect(result.stderr == "Error: validation failed: 5 errors, 0 warnings\n")
    }

    @Test("prints the same report as JSON for editors and CI")
    func jsonReport() throws {
        let result = try ProcessResult.persona(["validate", "--format", "json", Self.broken])
        #expect(result.status == 1)
        let report = try JSONParser().parse(Array(result.stdout.utf8))
        #expect(report["errors"] == .integer(5))
        #expect(report["warnings"] == .integer(0))
        let first = report["diagnostics"]?[0]
        #expect(first?["file"] == .string("\(Self.broken)/bad-id.yaml"))
        #expect(first?["line"] == .integer(1))
        #expect(first?["column"] == .integer(5))
        #expect(first?["code"] == .string("invalid-id"))
    }

    @Test("lists shipped personalities with engine, language and a 16-digit version")
    func listsPersonalities() throws {
        let result = try ProcessResult.persona(["list", "Personalities"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("ID") == true)
        #expect(lines.count == 10)
        let hanna = try #require(lines.first { $0.hasPrefix("hanna ") })
        #expect(hanna.contains("script"))
        #expect(hanna.contains(" de "))
        #expect(hanna.split(separator: " ").last?.count == 16)
    }

    @Test("prints a JSON Schema that a third-party validator accepts for every shipped file and rejects a typo")
    func schemaValidatesShippedFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("persona-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = PersonaBinary.packageRoot
        var checked = 0
        for kind in ["personality", "limits", "routing", "upstreams"] {
            let schema = try ProcessResult.persona(["schema", "--file", kind])
            #expect(schema.status == 0)
            let schemaFile = directory.appendingPathComponent("\(kind).json")
            try schema.stdout.write(to: schemaFile, atomically: true, encoding: .utf8)
            var files = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Personalities").path)
                .filter { $0.hasSuffix(".yaml") }
                .filter {
                    kind == "personality"
                        ? !["limits.yaml", "routing.yaml", "upstreams.yaml"].contains($0) : $0 == "\(kind).yaml"
                }
                .map { root.appendingPathComponent("Personalities/\($0)").path }
            if kind == "personality" {
                let typo = directory.appendingPathComponent("typo.yaml")
                try "id: x\nname: X\nengine: script\ngreting: hi\n".write(to: typo, atomically: true, encoding: .utf8)
                files.append(typo.path)
            }
            let check = try ProcessResult.run(
                URL(fileURLWithPath: "/usr/bin/env"),
                ["python3", root.appendingPathComponent("Tests/PersonaTests/Python/validate_schema.py").path, schemaFile.path] + files)
            #expect(check.status == 0, "\(check.stderr)")
            for line in check.stdout.split(separator: "\n") {
                let verdict = try JSONParser().parse(Array(line.utf8))
                guard case .string(let file)? = verdict["file"], case .array(let errors)? = verdict["errors"] else {
                    Issue.record("unexpected line \(line)")
                    continue
                }
                if file.hasSuffix("typo.yaml") {
                    #expect(errors.count == 1, "the schema must refuse the misspelt key: \(errors)")
                } else {
                    #expect(errors.isEmpty, "\(file): \(errors)")
                }
                checked += 1
            }
        }
        #expect(checked == 13)
    }
}

@Suite("Shipped personalities pass their own tests")
struct ShippedPersonalityTests {
    @Test("persona validate --run-tests passes every author test of every shipped personality")
    func shippedTestsPass() throws {
        let result = try ProcessResult.persona(["validate", "--run-tests", "Personalities"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let summary = try #require(result.stdout.split(separator: "\n").last)
        #expect(summary.hasSuffix(" passed, 0 failed"), "\(summary)")
        let passed = Int(summary.split(separator: " ").first ?? "") ?? 0
        #expect(passed >= 60, "every shipped personality carries real tests; found \(passed)")
        #expect(!result.stdout.contains("✗"))
    }
}
