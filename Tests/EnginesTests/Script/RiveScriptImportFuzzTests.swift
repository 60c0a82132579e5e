import Diagnostics
import Engines
import Personality
import PersonaTestSupport
import Testing
import YAML

/// Random RiveScript documents, built from real commands and tags, never crash the importer,
/// and what it writes is always YAML that parses and decodes (validation may still report
/// problems of the random brain itself, but never a YAML syntax error).
@Suite("RiveScript import fuzz")
struct RiveScriptImportFuzzTests {
    static let pieces = [
        "! array a = x y", "^ p q|r s", "! array b = @a z", "! var name = Bo", "! var name = <undef>",
        "! global depth = 3", "! sub what's = what is", "> begin", "< begin", "> topic t", "< topic",
        "+ request", "- {ok}", "+ hello", "+ i (like|love (a|b)) *", "+ <get name> is here", "+ <input1>",
        "- hi <star>", "- (@a) and (@nope)", "- <bot mood=sad>ok", "- <env x=1><env x>", "- <set topic=t>",
        "* <get name> == undefined => who?", "@ hello", "% hi *", "- \"quoted\" \\s {braces}", "^ more",
        "- {random}a|b{/random}", "+ _ and #", "- <call>m</call>", "// comment", "/* block", "*/", "",
    ]

    @Test("random documents import to YAML that parses and decodes without crashing", arguments: 0..<40)
    func fuzz(seed: Int) throws {
        var random = SeededGenerator(seed: UInt64(seed))
        let lines = (0..<Int.random(in: 1...25, using: &random)).map { _ in
            Self.pieces[Int.random(in: 0..<Self.pieces.count, using: &random)]
        }
        let source = lines.joined(separator: "\n")
        let output = RiveScriptImporter().convert([RiveScriptImporter.Source(name: "fuzz.rive", text: source)])
        do {
            _ = try YAMLParser().parse(Array(output.text.utf8), file: "fuzz.yaml")
        } catch {
            Issue.record("seed \(seed): the YAML does not parse: \(error)\n\(source)\n---\n\(output.text)")
        }
        let harness = ScriptHarness(yaml: output.text, file: "fuzz.yaml")
        #expect(
            !harness.diagnostics.contains { $0.code.hasPrefix("yaml") }, "seed \(seed): \(harness.diagnostics)")
        _ = harness.say("hello")
    }
}
