import Diagnostics
import Engines
import Testing

/// The engine-level semantics the RiveScript checklist needs, in the YAML format directly.
@Suite("Script engine: RiveScript semantics")
struct RiveScriptSemanticsTests {
    @Test(
        "_ matches exactly one word of letters",
        arguments: [
            ("pizza is good", "one: pizza"),
            ("hot pizza is good", "many: hot pizza"),
            ("42 is good", "many: 42"),
        ])
    func underscore(say: String, expected: String) {
        let harness = ScriptHarness(
            script: """
                rules:
                  - { match: "_ is good", reply: "one: {star}" }
                  - { match: "* is good", reply: "many: {star}" }
                """)
        #expect(harness.say(say) == expected)
    }

    @Test(
        "nested groups match and number captures by their opening bracket",
        arguments: [
            ("i really love cats", "[really love] [love] [cats]"),
            ("i enjoy dogs", "[enjoy] [dogs] [undefined]"),
            ("i really like a lot of dogs", "[really like] [like] [dogs]"),
            ("i really adore cats", "none"),
        ])
    func nestedGroups(say: String, expected: String) {
        let harness = ScriptHarness(
            script: """
                rules:
                  - { match: "i (really (like|love)|enjoy) [a lot [of]] (cats|dogs)", reply: "[{star1}] [{star2}] [{star3}]" }
                fallback: none
                """)
        #expect(harness.errors.isEmpty, "\(harness.errors)")
        #expect(harness.say(say) == expected)
    }

    @Test("tags in triggers are read at match time")
    func triggerTags() {
        let harness = ScriptHarness(
            script: """
                variables: { color: "Deep Blue" }
                globals: { city: "Oslo" }
                rules:
                  - { match: "i like {bot color}", reply: "Me too!" }
                  - { match: "i live in {env city}", reply: "Neighbours!" }
                  - { match: "i am {get name}", reply: "I know." }
                  - { match: "call me *", reply: "Ok.", set: { name: "{star}" } }
                  - { match: "{input1}", reply: "Again?" }
                  - { match: "{reply2}", reply: "Echo." }
                fallback: "?"
                """)
        #expect(harness.errors.isEmpty, "\(harness.errors)")
        #expect(harness.say("I like deep blue!") == "Me too!")
        #expect(harness.say("i live in oslo") == "Neighbours!")
        #expect(harness.say("i am anne") == "?")
        #expect(harness.say("call me Anne Marie") == "Ok.")
        #expect(harness.say("I am Anne Marie") == "I know.")
        #expect(harness.say("zzz") == "?")
        #expect(harness.say("i know") == "Echo.")
        #expect(harness.say("I KNOW!") == "Again?")
    }

    @Test("an unknown tag in a trigger is a located error")
    func badTriggerTag() {
        let harness = ScriptHarness(script: "rules:\n  - { match: \"hi {star}\", reply: x }")
        #expect(harness.errors.map(\.code) == ["invalid-tag"])
    }

    @Test("a bare * answers an empty message with an empty star; other triggers do not")
    func emptyMessage() {
        let harness = ScriptHarness(
            script: """
                rules:
                  - { match: "* *", reply: "two" }
                  - { match: "*", reply: "[{star}]" }
                """)
        #expect(harness.say("") == "[]")
        #expect(harness.say("?!") == "[]")
        #expect(harness.say("a") == "[a]")
    }

    @Test("arrays may name other arrays; an empty array matches nothing; {random @name} picks an item")
    func arrays() {
        let harness = ScriptHarness(
            script: """
                arrays:
                  warm: [red, orange]
                  colors: ["@warm", blue]
                  none: []
                rules:
                  - { match: "i like (@colors)", reply: "{star}!" }
                  - { match: "i have (@none)", reply: "never" }
                  - { match: "[@none] pick", reply: "{random @colors}" }
                fallback: "?"
                """)
        #expect(harness.errors.isEmpty, "\(harness.errors)")
        #expect(harness.say("i like orange") == "orange!")
        #expect(harness.say("i like blue") == "blue!")
        #expect(harness.say("i have ") == "?")
        let picks = Set((0..<30).map { _ in harness.say("pick") })
        #expect(picks == ["red", "orange", "blue"])
    }

    @Test("{random @name} of an undefined array is a located error with a suggestion")
    func undefinedArrayInReply() {
        let harness = ScriptHarness(
            script: "arrays: { colors: [red] }\nrules:\n  - { match: hi, reply: \"{random @colour}\" }")
        #expect(harness.errors.map(\.code) == ["undefined-array"])
        #expect(harness.errors.first?.message.contains("did you mean '@colors'?") == true)
    }

    static let hook = """
        variables: { mood: calm }
        globals: { closed: "no" }
        begin:
          - match: request
            conditions:
              - { when: "{env closed} == yes", reply: "Closed." }
              - { when: "{bot mood} == loud", reply: "{uppercase {ok}}" }
            reply: "{ok}"
        rules:
          - { match: hello, reply: "Hello." }
          - { match: shout, reply: "{bot mood=loud}Ok." }
          - { match: close, reply: "{env closed=yes}Bye." }
        """

    @Test("the begin hook passes through, rewrites, and answers instead")
    func beginHook() {
        let harness = ScriptHarness(script: Self.hook)
        #expect(harness.errors.isEmpty, "\(harness.errors)")
        #expect(harness.say("hello") == "Hello.")
        #expect(harness.say("shout") == "Ok.")
        #expect(harness.say("hello") == "HELLO.")
        #expect(harness.state.botVariables == ["mood": "loud"])
        #expect(harness.say("close") == "BYE.")
        #expect(harness.say("hello") == "Closed.")
        #expect(harness.state.globals == ["closed": "yes"])
    }

    @Test("run-time bot and global variables stay in their session")
    func variablesPerSession() {
        let first = ScriptHarness(script: Self.hook)
        _ = first.say("shout")
        let personality = first.personality!
        let other = ScriptSessionState(sessionID: "other")
        #expect(ScriptEngine().reply(to: "hello", personality: personality, state: other) == "Hello.")
    }

    @Test("a hook that passes a declined message through declines too")
    func beginDeclines() {
        let harness = ScriptHarness(script: "begin:\n  - { match: request, reply: \"{ok}\" }\nrules:\n  - { match: hi, reply: x }")
        #expect(harness.say("nothing matches") == nil)
        #expect(harness.say("hi") == "x")
    }

    @Test("{ok} outside begin: is a located error")
    func okOutsideBegin() {
        let harness = ScriptHarness(script: "rules:\n  - { match: hi, reply: \"{ok}\" }")
        #expect(harness.errors.map(\.code) == ["invalid-tag"])
    }

    @Test("{get __lastmatch__} is the trigger that answered")
    func lastMatch() {
        let harness = ScriptHarness(
            script: "rules:\n  - { match: \"[well] hi *\", reply: \"{get __lastmatch__}\" }")
        #expect(harness.say("hi there") == "[well] hi *")
        #expect(harness.state.value(of: "__lastmatch__", compatibility: .persona) == "[well] hi *")
    }

    static let casing = """
        rules:
          - { match: "my name is *", reply: "Hi {star}, you said {input1}" }
          - { match: "x", reply: "{get topic}", set: { topic: "{star}" } }
        fallback: "?"
        """

    @Test(
        "compat: rivescript lowercases captures and history; native keeps the user's casing",
        arguments: [("", "Hi Ada Lovelace, you said Hello There!"), ("compat: rivescript\n", "Hi ada lovelace, you said hello there")])
    func compatCasing(header: String, expected: String) {
        let harness = ScriptHarness(script: header + Self.casing)
        #expect(harness.errors.isEmpty, "\(harness.errors)")
        _ = harness.say("Hello There!")
        #expect(harness.say("my name is Ada Lovelace") == expected)
    }

    @Test("compat: rivescript answers RiveScript's error texts; native falls back or declines")
    func compatErrors() {
        let script = """
            rules:
              - { match: a, redirect: b }
              - { match: b, redirect: a }
              - { match: c, conditions: [{ when: "1 == 2", reply: no }] }
            """
        let native = ScriptHarness(script: script)
        #expect(native.warnings.map(\.code).contains("redirect-cycle"))
        #expect(native.errors.isEmpty)
        #expect(native.say("a") == nil)
        #expect(native.say("zzz") == nil)
        let compat = ScriptHarness(script: "compat: rivescript\n" + script)
        #expect(compat.say("a") == "ERR: Deep Recursion Detected")
        #expect(compat.say("zzz") == "ERR: No Reply Matched")
        #expect(compat.say("c") == "ERR: No Reply Found")
    }

    @Test("compat: rivescript makes the variable topic the topic; an unknown compat value is an error")
    func compatTopic() {
        let harness = ScriptHarness(
            script: """
                compat: rivescript
                rules:
                  - { match: go, reply: "{set topic=away}{get topic}" }
                topics:
                  away:
                    rules:
                      - { match: "*", reply: "away: {get topic}" }
                """)
        #expect(harness.errors.isEmpty, "\(harness.errors)")
        #expect(harness.say("go") == "away")
        #expect(harness.state.topic == "away")
        #expect(harness.say("hm") == "away: away")
        let bad = ScriptHarness(script: "compat: rivescrpt\nrules: []")
        #expect(bad.errors.first?.message.contains("did you mean 'rivescript'?") == true)
    }
}

extension RiveScriptSemanticsTests {
    @Test("explain shows the begin hook's lookup before the message's own")
    func explainHook() throws {
        let harness = ScriptHarness(script: Self.hook)
        let steps = try #require(harness.explain("hello")).steps.map(\.description)
        #expect(steps.first == "input \"request\" → [request] in topic '__begin__'", "\(steps)")
        #expect(steps.contains("input \"hello\" → [hello] in topic 'random'"), "\(steps)")
    }
}
