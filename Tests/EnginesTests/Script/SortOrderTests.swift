import Diagnostics
import Engines
import Testing

@Suite("Deterministic trigger order")
struct SortOrderTests {
    @Test("sorts by weight, then atomic, optional, _, #, *, bare wildcards; more words and longer text first")
    func order() throws {
        let triggers = [
            "*", "hello *", "hello [there]", "#", "hello there friend", "_ there", "* there *", "hello there",
            "_",
            "# there", "[hi] hello *",
        ]
        var script = "rules:\n"
        for trigger in triggers { script += "  - { match: \"\(trigger)\", reply: \"\(trigger)\" }\n" }
        script += "  - { match: \"important *\", weight: 5, reply: \"important\" }\n"
        let harness = ScriptHarness(script: script)
        let section = try #require(harness.section)
        let order = section.brain.topics["random"]!.entries.map(\.pattern.text)
        #expect(
            order == [
                "important *", "hello there friend", "hello there", "hello [there]", "_ there", "# there",
                "[hi] hello *", "* there *", "hello *", "_", "#", "*",
            ])
    }

    @Test(
        "the first trigger in that order answers",
        arguments: [
            ("hello there", "hello there"), ("hello", "hello [there]"),
            ("hello there friend", "hello there friend"),
            ("hello you", "[hi] hello *"), ("hi hello you", "[hi] hello *"), ("bob there", "_ there"),
            ("42 there", "# there"),
            ("4x there now", "* there *"), ("4x there", "*"), ("42", "#"), ("word", "_"), ("4x", "*"),
            ("important stuff", "important"),
            ("important", "_"),
        ])
    func winner(input: String, expected: String) {
        let triggers = [
            "*", "hello *", "hello [there]", "#", "hello there friend", "_ there", "* there *", "hello there",
            "_",
            "# there", "[hi] hello *",
        ]
        var script = "rules:\n"
        for trigger in triggers { script += "  - { match: \"\(trigger)\", reply: \"\(trigger)\" }\n" }
        script += "  - { match: \"important *\", weight: 5, reply: \"important\" }\n"
        #expect(ScriptHarness(script: script).say(input) == expected)
    }

    @Test("ties keep definition order, and weight beats inheritance")
    func ties() {
        let harness = ScriptHarness(
            script: """
                rules:
                  - { match: "(a|b) c", reply: "first" }
                  - { match: "(a|d) c", reply: "second" }
                  - { match: "x *", weight: 2, reply: "weighted random" }
                  - { match: "go", reply: "ok", topic: t }
                topics:
                  t:
                    inherits: [random]
                    rules:
                      - { match: "x y", reply: "own" }
                """)
        #expect(harness.say("a c") == "first")
        #expect(harness.say("d c") == "second")
        #expect(harness.say("go") == "ok")
        #expect(harness.say("x y") == "weighted random")
    }
}
