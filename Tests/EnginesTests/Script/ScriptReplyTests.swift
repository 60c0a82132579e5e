import Diagnostics
import Engines
import Testing

/// One scripted conversation: the `script:` body and the turns (say, expected reply; `nil` =
/// the engine declines).
struct ReplyCase: CustomTestStringConvertible, Sendable {
    var name: String
    var script: String
    var turns: [(String, String?)]
    var seed: UInt64 = 0
    var testDescription: String { name }
}

@Suite("Script engine replies")
struct ScriptReplyTests {
    static let cases: [ReplyCase] = [
        ReplyCase(
            name: "plain words match case- and punctuation-insensitively",
            script: """
                rules:
                  - { match: "hello bot", reply: "Hi!" }
                """,
            turns: [("Hello, BOT!!", "Hi!"), ("hello", nil)]),
        ReplyCase(
            name: "a star captures one or more words in the user's spelling",
            script: """
                rules:
                  - { match: "my name is *", reply: "Hello, {star}." }
                """,
            turns: [("My name is Jack Sparrow!", "Hello, Jack Sparrow."), ("my name is", nil)]),
        ReplyCase(
            name: "a scrubbed PII placeholder is captured whole, brackets included",
            script: """
                rules:
                  - { match: "my email is *", reply: "Noted: {star}." }
                  - { match: "call me on * please", reply: "Calling {star}." }
                """,
            turns: [
                ("my email is [EMAIL]", "Noted: [EMAIL]."), ("My email is <EMAIL_1>!", "Noted: <EMAIL_1>."),
                ("call me on [PHONE] please", "Calling [PHONE]."), ("my email is [not one]", "Noted: not one."),
            ]),
        ReplyCase(
            name: "wildcards are non-greedy, so the first capture is the shortest",
            script: """
                rules:
                  - { match: "* is *", reply: "{star1} / {star2}" }
                """,
            turns: [("a is b is c", "a / b is c")]),
        ReplyCase(
            name: "# matches only a number and _ only letters",
            script: """
                rules:
                  - { match: "i am # years old", reply: "num {star}" }
                  - { match: "i am _ years old", reply: "word {star}" }
                  - { match: "i am * years old", reply: "any {star}" }
                """,
            turns: [
                ("I am 42 years old", "num 42"), ("i am forty two years old", "any forty two"), ("i am forty years old", "word forty"),
                ("i am 4x years old", "any 4x"),
            ]),
        ReplyCase(
            name: "alternatives capture and optionals do not",
            script: """
                rules:
                  - { match: "[please] (tell|show) me [the] *", reply: "{star1}|{star2}" }
                """,
            turns: [("please show me the way", "show|way"), ("tell me news", "tell|news")]),
        ReplyCase(
            name: "(@array) captures an item, @array matches without capturing",
            script: """
                arrays: { colors: [red, "light blue"], pets: [cat, dog] }
                rules:
                  - { match: "i like (@colors) and @pets *", reply: "{star1}+{star2}" }
                """,
            turns: [
                ("I like light blue and dogs too", nil), ("I like light blue and dog too", "light blue+too"),
            ]),
        ReplyCase(
            name: "substitutions are applied before matching, longest phrase first",
            script: """
                substitutions: { "what's": "what is", "i'm": "i am", "u": "you", "what's up": "hello" }
                rules:
                  - { match: "what is your name", reply: "Testy." }
                  - { match: "i am *", reply: "Hi {star}." }
                  - { match: "hello", reply: "Yo." }
                  - { match: "how are you", reply: "Fine." }
                """,
            turns: [
                ("What's your name?", "Testy."), ("I'm Ann", "Hi Ann."), ("what's up", "Yo."),
                ("how are u", "Fine."),
            ]),
        ReplyCase(
            name: "person substitutions swap pronouns in one pass",
            script: """
                person: { "i am": "you are", "you are": "i am", "my": "your", "your": "my" }
                rules:
                  - { match: "say *", reply: "{person {star}}" }
                """,
            turns: [("say I am sure you are right about my cat", "you are sure i am right about your cat")]),
        ReplyCase(
            name: "session variables are set after replying and read with defaults",
            script: """
                rules:
                  - { match: "call me *", reply: "Ok {get name|stranger}.", set: { name: "{star}" } }
                  - { match: "who am i", reply: "{get name|a stranger}" }
                  - { match: "forget me", reply: "{set name=undefined}Forgotten {get name|!}" }
                """,
            turns: [
                ("who am i", "a stranger"), ("call me Ann", "Ok stranger."), ("who am i", "Ann"),
                ("forget me", "Forgotten !"), ("who am i", "a stranger"),
            ]),
        ReplyCase(
            name: "bot variables, and {bot name} defaults to the personality's name",
            script: """
                variables: { ship: "The Salty Dog" }
                rules:
                  - { match: "who are you", reply: "{bot name} of {bot ship}, {bot age}" }
                """,
            turns: [("who are you", "Testy of The Salty Dog, undefined")]),
        ReplyCase(
            name: "input and reply history, latest first",
            script: """
                rules:
                  - { match: "one", reply: "1" }
                  - { match: "two", reply: "2" }
                  - { match: "history", reply: "{input1}/{input2}/{reply1}/{reply2}/{input9}" }
                """,
            turns: [("one", "1"), ("two", "2"), ("history", "two/one/2/1/undefined")]),
        ReplyCase(
            name: "transforms nest",
            script: """
                rules:
                  - { match: "shout *", reply: "{uppercase {star}}!" }
                  - { match: "whisper *", reply: "{lowercase {star}}" }
                  - { match: "sentence *", reply: "{sentence {star}}" }
                  - { match: "formal *", reply: "{formal {lowercase {star}}}" }
                """,
            turns: [
                ("shout ça va", "ÇA VA!"), ("whisper ÇA VA", "ça va"),
                ("sentence HELLO World", "Hello world"),
                ("formal jean-luc PICARD", "Jean Luc Picard"),
            ]),
        ReplyCase(
            name: "math on session variables",
            script: """
                rules:
                  - { match: "add #", reply: "{add n={star}}{get n}" }
                  - { match: "times #", reply: "{mult n={star}}{get n}" }
                  - { match: "minus #", reply: "{sub n={star}}{get n}" }
                  - { match: "over #", reply: "{div n={star}}{get n}" }
                """,
            turns: [
                ("add 5", "5"), ("times 3", "15"), ("minus 1", "14"), ("over 4", "3.5"), ("over 0", "3.5"),
            ]),
        ReplyCase(
            name: "conditions compare numerically when both sides are numbers",
            script: """
                rules:
                  - match: "i am # years old"
                    conditions:
                      - { when: "{star} < 13", reply: "child" }
                      - { when: "{star} lt 20", reply: "teen" }
                      - { when: "{star} >= 100", reply: "wow" }
                    reply: "adult"
                  - match: "compare *"
                    conditions:
                      - { when: "{star} == 9", reply: "nine" }
                      - { when: "{star} > 10", reply: "never for text" }
                    reply: "text"
                """,
            turns: [
                ("I am 9 years old", "child"), ("I am 10 years old", "child"), ("i am 13 years old", "teen"),
                ("i am 100 years old", "wow"), ("i am 45 years old", "adult"), ("compare 09", "nine"),
                ("compare ten", "text"),
            ]),
        ReplyCase(
            name: "conditions on undefined variables",
            script: """
                rules:
                  - { match: "i am *", reply: "ok", set: { name: "{star}" } }
                  - match: "what is my name"
                    conditions:
                      - { when: "{get name} == undefined", reply: "Ye never told me!" }
                      - { when: "{get name} != undefined", reply: "Ye be {get name}." }
                """,
            turns: [
                ("what is my name", "Ye never told me!"), ("i am Jack", "ok"),
                ("what is my name", "Ye be Jack."),
            ]),
        ReplyCase(
            name: "after: matches only after the bot said it, with captures from the bot's reply",
            script: """
                rules:
                  - { match: "ask me", reply: "Do you like the colour Red?" }
                  - { match: "yes", after: "do you like the colour *", reply: "Me too, {botstar} is great." }
                  - { match: "yes", reply: "Yes what?" }
                """,
            turns: [
                ("yes", "Yes what?"), ("ask me", "Do you like the colour Red?"),
                ("yes", "Me too, Red is great."), ("yes", "Yes what?"),
            ]),
        ReplyCase(
            name: "whole-reply redirect and inline redirect",
            script: """
                rules:
                  - { match: "hello", reply: "Hi there!" }
                  - { match: "hey", redirect: "hello" }
                  - { match: "greet *", redirect: "{star}" }
                  - { match: "say hello twice", reply: "{@ hello} {@ hey}" }
                """,
            turns: [
                ("hey", "Hi there!"), ("greet HELLO", "Hi there!"),
                ("say hello twice", "Hi there! Hi there!"),
            ]),
        ReplyCase(
            name: "topics switch with topic: and {topic}, and unknown rules stay out",
            script: """
                rules:
                  - { match: "go", reply: "Going.", topic: quiet }
                  - { match: "go inline", reply: "{topic quiet}Going." }
                  - { match: "where", reply: "random" }
                topics:
                  quiet:
                    rules:
                      - { match: "where", reply: "quiet" }
                      - { match: "back", reply: "Back.", topic: random }
                """,
            turns: [
                ("where", "random"), ("go", "Going."), ("where", "quiet"), ("go", nil), ("back", "Back."),
                ("go inline", "Going."),
                ("where", "quiet"),
            ]),
        ReplyCase(
            name: "includes match as equals, inherits only after own rules fail",
            script: """
                rules:
                  - { match: "*", reply: "random star" }
                  - { match: "hello", reply: "random hello" }
                  - { match: "enter", reply: "in", topic: room }
                topics:
                  shared:
                    rules:
                      - { match: "hello there", reply: "shared hello there" }
                  room:
                    includes: [shared]
                    inherits: [random]
                    rules:
                      - { match: "* there", reply: "room star there" }
                """,
            turns: [
                ("enter", "in"),
                ("hello there", "shared hello there"),  // included atomic beats own wildcard
                ("you there", "room star there"),  // own rules before inherited
                ("hello", "random hello"),  // inherited
                ("anything", "random star"),
            ]),
        ReplyCase(
            name: "Unicode input",
            script: """
                rules:
                  - { match: "ich heiße *", reply: "Hallo {star}!" }
                  - { match: "ça va", reply: "Oui, ça va." }
                  - { match: "grüß gott", reply: "Servus!" }
                """,
            turns: [
                ("Ich heiße Jürgen", "Hallo Jürgen!"), ("ÇA VA ?", "Oui, ça va."), ("GRÜSS GOTT", "Servus!"),
                ("ICH HEISSE Zoë", "Hallo Zoë!"),
            ]),
        ReplyCase(
            name: "fallback answers when nothing matches; without one the engine declines",
            script: """
                rules:
                  - { match: "hi", reply: "hi" }
                fallback: "What?"
                """,
            turns: [("nonsense", "What?")]),
        ReplyCase(
            name: "literal braces and the session id",
            script: """
                rules:
                  - { match: "braces", reply: "{{get x}} in {id}" }
                """,
            turns: [("braces", "{get x} in session-1")]),
        ReplyCase(
            name: "a rule's trigger list shares the reply",
            script: """
                rules:
                  - { match: ["hi", "hello", "hey there"], reply: "Ahoy!" }
                """,
            turns: [("hi", "Ahoy!"), ("hello", "Ahoy!"), ("hey there", "Ahoy!"), ("hey", nil)]),
    ]

    @Test("answers as RiveScript semantics demand", arguments: cases)
    func replies(_ replyCase: ReplyCase) {
        let harness = ScriptHarness(script: replyCase.script, seed: replyCase.seed)
        #expect(harness.errors.isEmpty, "\(harness.errors)")
        for (index, (say, expected)) in replyCase.turns.enumerated() {
            let reply = harness.say(say)
            #expect(reply == expected, "turn \(index + 1): say \"\(say)\"")
        }
    }

    @Test("random replies follow the seed: the same seed gives the same replies, weights bias the pick")
    func seededRandom() {
        let script = """
            rules:
              - match: "roll"
                reply: ["a", "b", "c", { text: "heavy", weight: 30 }]
              - { match: "flip", reply: "{random heads|tails}" }
            """
        func run(_ seed: UInt64) -> [String?] {
            let harness = ScriptHarness(script: script, seed: seed)
            return (0..<40).map { $0 % 2 == 0 ? harness.say("roll") : harness.say("flip") }
        }
        #expect(run(7) == run(7))
        #expect(run(7) != run(8))
        let rolls = run(11).enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        #expect(rolls.filter { $0 == "heavy" }.count > 10, "weight 30 of 33 should dominate: \(rolls)")
        let flips = Set(run(11).enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
        #expect(flips == ["heads", "tails"])
    }

    @Test("the greeting is picked with the session's generator and rendered as a template")
    func greeting() throws {
        let harness = ScriptHarness(
            script: "variables: { ship: Dog }\nrules:\n  - { match: hi, reply: hi }",
            header:
                "greeting: [\"Welcome aboard {bot ship}!\", \"Ahoy from {bot name}!\"]\nfarewell: \"Bye from {bot ship}\"\n"
        )
        let personality = try #require(harness.personality)
        var seen: Set<String> = []
        for seed in 0..<20 as Range<UInt64> {
            let state = ScriptSessionState(seed: seed)
            if let text = harness.engine.greeting(for: personality, state: state) { seen.insert(text) }
        }
        #expect(seen == ["Welcome aboard Dog!", "Ahoy from Testy!"])
        #expect(harness.engine.farewell(for: personality, state: harness.state) == "Bye from Dog")
    }
}
