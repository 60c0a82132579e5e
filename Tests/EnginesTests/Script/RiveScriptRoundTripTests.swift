import Diagnostics
import Engines
import Foundation
import Personality
import Testing

/// Every `.rive` fixture (but `macros.rive`, which shows what cannot be carried) imports
/// without dropping anything, validates without errors, and passes the conversations in the
/// `NAME.tests.yaml` beside it — RiveScript's answers, replayed through the imported YAML.
@Suite("RiveScript round trip")
struct RiveScriptRoundTripTests {
    static let fixtures: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []
        return files.filter { $0.hasSuffix(".rive") && $0 != "macros.rive" }.sorted()
    }

    /// The imported document with the fixture's tests appended under `tests:`.
    static func personality(_ name: String) throws -> (ScriptHarness, RiveScriptImporter.Output) {
        let source = try RiveScriptImportTests.fixture(name)
        let output = RiveScriptImporter().convert([source])
        let testsURL = fixtures.appendingPathComponent(name.replacingOccurrences(of: ".rive", with: ".tests.yaml"))
        let tests = try String(contentsOf: testsURL, encoding: .utf8)
        let indented = tests.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        return (ScriptHarness(yaml: output.text + "tests:\n" + indented + "\n", file: name + ".yaml"), output)
    }

    @Test("there are fixtures for every point of the RiveScript checklist")
    func fixturesPresent() {
        #expect(Set(Self.names).isSuperset(of: ["arrays.rive", "triggers.rive", "switches.rive", "hooks.rive"]))
    }

    @Test("the fixture imports, validates and passes its tests", arguments: names)
    func roundTrip(name: String) throws {
        let (harness, output) = try Self.personality(name)
        #expect(!output.droppedSomething, "\(output.warnings)")
        #expect(harness.errors.isEmpty, "the imported YAML does not validate: \(harness.errors)\n\(output.text)")
        let personality = try #require(harness.personality)
        #expect(!personality.tests.isEmpty)
        let results = PersonalityTestRunner().run(personality)
        for result in results where !result.passed {
            Issue.record("\(name): \(result.report)")
        }
        #expect(results.filter { !$0.passed }.isEmpty)
    }

    @Test("a redirect cycle imports with a lint warning, not an error")
    func cycleWarns() throws {
        let (harness, _) = try Self.personality("hooks.rive")
        #expect(harness.warnings.contains { $0.code == "redirect-cycle" }, "\(harness.warnings)")
        #expect(harness.errors.isEmpty)
    }

    @Test("an undefined array is imported empty, with a warning at the line that uses it")
    func undefinedArray() throws {
        let (harness, output) = try Self.personality("arrays.rive")
        let warning = try #require(output.warnings.first { $0.message.contains("@nothing") })
        #expect(warning.severity == .warning)
        #expect(warning.location?.line == 33)
        #expect(harness.section?.arrays["nothing"] == [])
        #expect(harness.section?.arrays["warm"] == ["red", "orange", "golden yellow", "dark red"])
        #expect(harness.section?.arrays["colors"] == ["@warm", "@cool", "light grey"])
        #expect(harness.section?.arrays["sizes"] == ["big", "huge"])
        #expect(harness.section?.variables == ["mood": "cheerful"])
        #expect(output.summary.arrays == 5)
        #expect(output.summary.line == "imported 8 rules, 5 arrays, 0 substitutions, 0 topics; nothing dropped")
    }

    @Test("the importer marks the personality compat: rivescript and writes the hook and globals")
    func document() throws {
        let (_, output) = try Self.personality("hooks.rive")
        #expect(output.text.contains("compat: \"rivescript\""))
        #expect(output.text.contains("globals:\n    maintenance: \"off\""))
        #expect(output.text.contains("begin:\n    - match: \"request\""))
        #expect(output.text.contains("{uppercase {ok}}"))
    }
}
