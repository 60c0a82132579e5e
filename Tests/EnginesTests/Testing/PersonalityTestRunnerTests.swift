import Diagnostics
import Engines
import Personality
import Testing

@Suite("Author test runner")
struct PersonalityTestRunnerTests {
    static let yaml = """
        id: runner-bot
        name: Runner
        description: Runs tests.
        engine: script
        script:
          rules:
            - { match: "my name is *", reply: "Hi {star}!", set: { name: "{star}" } }
            - { match: "roll", reply: ["one", "two", "three"] }
          fallback: "What?"
        tests:
          - say: "my name is Ann"
            expect: "Hi Ann!"
          - name: a wrong expectation
            conversation:
              - say: "my name is Bob"
                expect: "Hi Rob!"
                vars: { name: "Rob", age: "undefined" }
          - name: one of, and a regex
            seed: 3
            conversation:
              - say: "roll"
                expect_one_of: ["one", "two", "three"]
              - say: "nothing"
                expect_match: "^Wh"
          - say: "roll"
            expect_match: "^(four|five)$"
        """

    @Test("runs every test and reports failures with a diff at the failing turn")
    func runs() throws {
        let harness = ScriptHarness(yaml: Self.yaml, file: "runner.yaml")
        let personality = try #require(harness.personality, "\(harness.diagnostics)")
        let results = PersonalityTestRunner().run(personality)
        #expect(results.map(\.passed) == [true, false, true, false])
        #expect(results[0].report == "✓ runner-bot: my name is Ann")
        let report = results[1].report
        #expect(report.hasPrefix("✗ runner-bot: a wrong expectation\n    turn 1 at runner.yaml:15:"))
        #expect(report.contains("expected: \"Hi Rob!\"\n         got: \"Hi Bob!\""))
        #expect(report.contains("variable 'name'"))
        #expect(!report.contains("variable 'age'"))
        #expect(results[3].report.contains("expected a match for /^(four|five)$/"))
    }

    @Test("the diff puts a caret under the first differing character")
    func diff() {
        let text = PersonalityTestRunner.diff(expected: "Hello Jack", got: "Hello Jake")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "expected: \"Hello Jack\"")
        #expect(lines[1] == "     got: \"Hello Jake\"")
        #expect(
            lines[2].firstIndex(of: "^").map { lines[2].distance(from: lines[2].startIndex, to: $0) } == 19)
        #expect(lines[2].hasSuffix("first difference at character 9"))
    }

    @Test("a declined reply fails an expectation with an explanation")
    func declined() {
        #expect(
            PersonalityTestRunner.check(nil, against: .exact("x"))?.contains("no engine answered") == true)
        #expect(PersonalityTestRunner.check("x", against: .matches("(")) != nil)
    }
}
