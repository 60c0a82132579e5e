import Diagnostics
import Engines
import Foundation
import PersonaTestSupport
import Testing

@Suite("Trigger compiler")
struct PatternParserTests {
    static let parser = PatternParser(arrays: [
        "colors": ["red", "light blue"], "greetings": ["hi", "hello"],
    ])

    @Test(
        "compiles valid triggers into the expected elements",
        arguments: [
            ("hello", "w(hello)"),
            ("What's UP?", "w(whats) w(up)"),
            ("my name is *", "w(my) w(name) w(is) *"),
            ("i am # years old", "w(i) w(am) # w(years) w(old)"),
            ("call me _", "w(call) w(me) _"),
            ("(hi|hello) [there]", "(w(hi)|w(hello)) [w(there)]"),
            ("[*] soup", "[*] w(soup)"),
            ("i like (@colors)", "w(i) w(like) (w(red)|w(light) w(blue))"),
            ("@greetings bot", "<w(hi)|w(hello)> w(bot)"),
            ("ich heiße *", "w(ich) w(heisse) *"),
            ("e-mail me", "w(e) w(mail) w(me)"),
        ])
    func compiles(text: String, expected: String) throws {
        let pattern = try Self.parser.parse(text)
        #expect(Self.render(pattern.elements) == expected, "\(text)")
    }

    @Test(
        "reports invalid triggers with the offset of the problem",
        arguments: [
            ("(a|b", 0, "unbalanced-brackets"),
            ("a|b", 1, "invalid-pattern"),
            ("hello)", 5, "unbalanced-brackets"),
            ("[a|]", 3, "empty-alternative"),
            ("(|a)", 1, "empty-alternative"),
            ("[]", 1, "empty-alternative"),
            ("x (a|b]", 6, "unbalanced-brackets"),
            ("hello*", 5, "invalid-pattern"),
            ("* *x", 2, "invalid-pattern"),
            ("i like @colours", 7, "undefined-array"),
            ("hi {weight=5}", 3, "invalid-pattern"),
            ("?!", 0, "empty-pattern"),
        ])
    func rejects(text: String, offset: Int, code: String) {
        #expect {
            _ = try Self.parser.parse(text)
        } throws: { error in
            guard let error = error as? PatternError else { return false }
            return error.offset == offset && error.code == code
        }
    }

    @Test("suggests the nearest array name for a misspelt one")
    func suggestsArray() {
        do {
            _ = try Self.parser.parse("i like (@colours)")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("did you mean '@colors'?"))
        }
    }

    @Test(
        "never crashes on random patterns, and every error points inside the text",
        arguments: [1 as UInt64, 2, 3, 4])
    func fuzz(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let pieces = [
            "a", "b", "*", "#", "_", "(", ")", "[", "]", "|", "@colors", "@nope", " ", " ", "{", "}", "é",
            "?", "'",
        ]
        for _ in 0..<400 {
            let length = Int.random(in: 0...12, using: &generator)
            let text = (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
            do {
                let pattern = try Self.parser.parse(text)
                #expect(!pattern.elements.isEmpty, "seed \(seed) input \"\(text)\"")
                // A compiled pattern must also match without crashing.
                _ = PatternMatcher.match(pattern, [InputWord(key: "a", original: "a")], maxSteps: 1_000)
            } catch {
                #expect(
                    error.offset >= 0 && error.offset <= text.count,
                    "seed \(seed) input \"\(text)\" offset \(error.offset)")
            }
        }
    }

    @Test("an invalid trigger in a file is reported at its line and column")
    func locatedInFile() {
        let harness = ScriptHarness(
            script: """
                rules:
                  - match: "hello (there|"
                    reply: "hi"
                """)
        let error = harness.errors.first
        #expect(error?.code == "unbalanced-brackets")
        #expect(error?.location?.line == 7)
        #expect(error?.location?.column == 21)
    }

    @Test(
        "random triggers in a file either load or fail with an error on the trigger's line",
        arguments: [9 as UInt64])
    func fuzzThroughDecoder(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let pieces = [
            "a", "*", "#", "_", "(", ")", "[", "]", "|", "@colors", "@nope", " ", "{", "}", "ü", "'",
        ]
        for _ in 0..<60 {
            let text = (0..<Int.random(in: 1...10, using: &generator)).map { _ in
                pieces.randomElement(using: &generator)!
            }.joined()
            let quoted = "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
            let harness = ScriptHarness(
                script: "arrays: { colors: [red] }\nrules:\n  - match: \(quoted)\n    reply: x")
            for error in harness.errors {
                #expect(error.location?.line == 8, "seed \(seed) input \(text): \(error)")
                let column = error.location?.column ?? 0
                #expect(column >= 12 && column <= 12 + quoted.count, "seed \(seed) input \(text): \(error)")
            }
        }
    }

    static func render(_ elements: [PatternElement]) -> String {
        elements.map { element -> String in
            switch element {
            case .word(let word): return "w(\(word))"
            case .wildcard(let kind, _): return kind == .any ? "*" : kind == .number ? "#" : "_"
            case .group(let alternatives, let captures, let optional):
                let inner = alternatives.map { render($0) }.joined(separator: "|")
                return optional ? "[\(inner)]" : captures ? "(\(inner))" : "<\(inner)>"
            case .tag(let tag): return "tag(\(tag))"
            }
        }.joined(separator: " ")
    }
}
