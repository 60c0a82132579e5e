import Diagnostics
import Engines
import Personality
import Testing

@Suite("Author tests that set the scene")
struct PersonalityTestSceneTests {
    static let yaml = """
        id: scene-bot
        name: Scene
        description: Starts where the test says.
        engine: script
        script:
          variables: { mood: calm }
          globals: { open: "yes" }
          rules:
            - { match: "who am i", reply: "{get name|nobody}, mood {bot mood}, open {env open}" }
          topics:
            quiz:
              rules:
                - { match: "*", reply: "quiz time" }
        tests:
          - name: preset state
            given: { vars: { name: "Ann" }, bot: { mood: "sad" }, globals: { open: "no" } }
            conversation:
              - vars: { name: "Ann" }
              - { say: "who am i", expect: "Ann, mood sad, open no" }
          - name: preset topic
            given: { topic: "quiz" }
            conversation:
              - { topic: "quiz" }
              - { say: "who am i", expect: "quiz time", topic: "quiz" }
          - name: no scene
            conversation:
              - { say: "who am i", expect: "nobody, mood calm, open yes", topic: "random" }
          - name: a failing check before any turn
            given: { vars: { name: "Ann" } }
            conversation:
              - vars: { name: "Bob" }
              - topic: "quiz"
        """

    static func results() throws -> [PersonalityTestResult] {
        let harness = ScriptHarness(yaml: yaml, file: "scene.yaml")
        let personality = try #require(harness.personality, "\(harness.diagnostics)")
        return PersonalityTestRunner().run(personality)
    }

    @Test("given: presets session, bot and global variables and the topic before the first turn")
    func presets() throws {
        let results = try Self.results()
        #expect(results.map(\.passed) == [true, true, true, false], "\(results.map(\.report))")
    }

    @Test("a turn without say checks variables and the topic, and reports each difference")
    func checkOnly() throws {
        let failing = try Self.results()[3]
        #expect(failing.failures.map(\.turn) == [1, 2])
        #expect(failing.failures[0].diff.contains("variable 'name'\nexpected: \"Bob\"\n     got: \"Ann\""))
        #expect(failing.failures[1].diff.contains("topic\nexpected: \"quiz\"\n     got: \"random\""))
        #expect(failing.turns.map(\.say) == [nil, nil])
    }

    @Test("every turn is recorded with what was expected and what came back")
    func turnResults() throws {
        let first = try Self.results()[0]
        #expect(
            first.turns == [
                PersonalityTestTurnResult(turn: 1, say: nil, expected: nil, got: nil, passed: true),
                PersonalityTestTurnResult(
                    turn: 2, say: "who am i", expected: "Ann, mood sad, open no", got: "Ann, mood sad, open no",
                    passed: true),
            ])
    }

    @Test(
        "scene and check-only turns are validated",
        arguments: [
            ("- { given: { vars: { a: b }, mood: x }, say: hi, expect: hi }", "unknown key 'mood' in given"),
            ("- conversation: [{ expect: hi }]", "a turn that expects a reply needs 'say'"),
            ("- { given: { topic: \"\" }, say: hi, expect: hi }", "topic"),
        ])
    func validation(tests: String, message: String) {
        let yaml = """
            id: v-bot
            name: V
            description: V.
            engine: script
            script:
              rules: [{ match: hi, reply: hi }]
            tests:
            \(tests.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            """
        let harness = ScriptHarness(yaml: yaml)
        #expect(harness.errors.contains { $0.message.contains(message) }, "\(harness.diagnostics)")
    }
}
