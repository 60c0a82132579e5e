import Diagnostics
import Engines
import Testing

@Suite("Script lint")
struct ScriptLintTests {
    struct LintCase: CustomTestStringConvertible, Sendable {
        var name: String
        var script: String
        var code: String
        var line: Int?
        var message: String = ""
        var testDescription: String { name }
    }

    // Line numbers count the 5 header lines the harness writes before the script body
    // (id, name, description, engine, script:), so body line N is file line N + 5.
    static let cases: [LintCase] = [
        LintCase(
            name: "an exact duplicate trigger is shadowed",
            script: """
                rules:
                  - { match: "hello", reply: "a" }
                  - { match: "Hello!", reply: "b" }
                """,
            code: "shadowed-trigger", line: 8, message: "duplicates 'hello'"),
        LintCase(
            name: "a shadowed trigger is reported in every topic it is written in, once",
            script: """
                rules:
                  - { match: "go", reply: "a", topic: t }
                topics:
                  t:
                    rules:
                      - { match: "[the] way", reply: "a" }
                      - { match: "way", weight: -1, reply: "b" }
                """,
            code: "shadowed-trigger", line: 12, message: "always beaten by '[the] way'"),
        LintCase(
            name: "a weighted wildcard shadows a specific trigger below it",
            script: """
                rules:
                  - { match: "*", weight: 10, reply: "a" }
                  - { match: "hello", reply: "b" }
                """,
            code: "shadowed-trigger", line: 8, message: "always beaten by '*'"),
        LintCase(
            name: "an optional trigger shadows the same words written without it",
            script: """
                rules:
                  - { match: "hello [there]", weight: 1, reply: "a" }
                  - { match: "hello there", reply: "b" }
                """,
            code: "shadowed-trigger", line: 8),
        LintCase(
            name: "a topic nothing reaches",
            script: """
                rules:
                  - { match: "hi", reply: "hi" }
                topics:
                  lonely:
                    rules:
                      - { match: "hi", reply: "hi" }
                """,
            code: "unreachable-topic", line: 9, message: "'lonely'"),
        LintCase(
            name: "a variable read but never set",
            script: """
                rules:
                  - { match: "hi", reply: "{get mood}" }
                  - { match: "set", reply: "ok", set: { mod: "x" } }
                """,
            code: "unset-variable", line: 7, message: "did you mean 'mod'?"),
        LintCase(
            name: "an undefined array",
            script: """
                arrays: { colors: [red] }
                rules:
                  - { match: "i like (@colours)", reply: "ok" }
                """,
            code: "undefined-array", line: 8, message: "did you mean '@colors'?"),
        LintCase(
            name: "a static redirect cycle",
            script: """
                rules:
                  - { match: "a", redirect: "b" }
                  - { match: "b", redirect: "c" }
                  - { match: "c", redirect: "a" }
                """,
            code: "redirect-cycle", line: 7, message: "'a' → 'b' → 'c' → 'a'"),
        LintCase(
            name: "an unknown template tag",
            script: """
                rules:
                  - { match: "hi", reply: "Hi {gte name}" }
                """,
            code: "unknown-tag", line: 7, message: "did you mean '{get}'?"),
        LintCase(
            name: "an unknown topic",
            script: """
                rules:
                  - { match: "hi", reply: "hi", topic: tresure }
                topics:
                  treasure:
                    rules:
                      - { match: "x", reply: "x" }
                """,
            code: "unknown-topic", line: 7, message: "did you mean 'treasure'?"),
        LintCase(
            name: "an unknown rule key",
            script: """
                rules:
                  - { match: "hi", replly: "hi" }
                """,
            code: "unknown-key", line: 7, message: "did you mean 'reply'?"),
        LintCase(
            name: "a condition without an operator",
            script: """
                rules:
                  - match: "hi"
                    conditions:
                      - { when: "{get x} is 3", reply: "x" }
                """,
            code: "invalid-condition", line: 9),
        LintCase(
            name: "a rule with both reply and redirect",
            script: """
                rules:
                  - { match: "hi", reply: "a", redirect: "b" }
                """,
            code: "conflicting-keys", line: 7),
    ]

    @Test("reports each problem at its line", arguments: cases)
    func reports(_ lintCase: LintCase) {
        let harness = ScriptHarness(script: lintCase.script)
        let found = harness.diagnostics.filter { $0.code == lintCase.code }
        #expect(found.count == 1, "\(harness.diagnostics)")
        if let diagnostic = found.first {
            if let line = lintCase.line { #expect(diagnostic.location?.line == line, "\(diagnostic)") }
            #expect(diagnostic.message.contains(lintCase.message), "\(diagnostic)")
        }
    }

    @Test("a clean script has no diagnostics, even with specific triggers below broad ones")
    func clean() {
        let harness = ScriptHarness(
            script: """
                rules:
                  - { match: "hello", reply: "a" }
                  - { match: "hello *", reply: "b" }
                  - { match: "*", reply: "c" }
                  - { match: "go", reply: "d", topic: other }
                  - { match: "mood", reply: "{get mood|fine}" }
                topics:
                  other:
                    rules:
                      - { match: "*", reply: "e", topic: random }
                """)
        #expect(harness.diagnostics.isEmpty, "\(harness.diagnostics)")
    }
}
