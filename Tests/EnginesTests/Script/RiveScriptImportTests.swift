import Diagnostics
import Engines
import Foundation
import Testing
import YAML

@Suite("RiveScript import")
struct RiveScriptImportTests {
    static func fixture(_ name: String) throws -> RiveScriptImporter.Source {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
        return RiveScriptImporter.Source(
            name: "Fixtures/\(name)", text: try String(contentsOf: url, encoding: .utf8))
    }

    static func imported(_ name: String, seed: UInt64 = 0) throws -> (
        ScriptHarness, RiveScriptImporter.Output
    ) {
        let output = RiveScriptImporter().convert([try fixture(name)])
        return (ScriptHarness(yaml: output.text, file: name + ".yaml", seed: seed), output)
    }

    @Test(
        "the imported basics answer as RiveScript does",
        arguments: [
            ("hello bot", "Hello, human!"),
            ("what's my name", "You never told me."),
            ("i am 12 years old", "You are young."),
            ("i am 101 years old", "Wow!"),
            ("please show me the way", "You want me to show you way."),
            ("tell me stories", "You want me to tell you stories."),
            ("I like light blue", "LIGHT BLUE is a nice colour."),
            ("i like green", "GREEN is a nice colour."),
            ("who are you", "I am Aiden, 5 years old."),
            ("important thing", "Important: thing."),
            ("hi", "Hello, human!"),
            ("greet Ann", "Hello, human! And welcome, ann!"),
            ("echo hello bot", "Hello, human!"),
            ("reflect I'm sure my cat is fine", "You said: you are sure your cat is fine."),
            ("shout ahoy", "AHOY!"),
            ("long", "This reply is longand continues."),
            ("gibberish words", "I do not understand."),
        ])
    func basics(say: String, expected: String) throws {
        let (harness, _) = try Self.imported("basics.rive")
        #expect(harness.errors.isEmpty, "\(harness.errors)")
        #expect(harness.say(say) == expected)
    }

    @Test("variables, previous, history and weights survive the import")
    func conversation() throws {
        let (harness, output) = try Self.imported("basics.rive", seed: 5)
        #expect(output.warnings.isEmpty, "\(output.warnings)")
        #expect(harness.say("my name is ada LOVELACE") == "Nice to meet you, Ada Lovelace.")
        #expect(harness.say("what is my name") == "Your name is Ada Lovelace.")
        #expect(harness.say("i am 30 years old") == "Noted, you are 30.")
        #expect(harness.say("knock knock") == "Who is there?")
        #expect(harness.say("Boo") == "Boo who?")
        #expect(harness.say("count") == "Count: 1. Last input: boo.")
        let flips = Set((0..<20).map { _ in harness.say("coin") })
        #expect(flips == ["heads", "tails"])
        let heavy = (0..<30).map { _ in harness.say("heavy") }
        #expect(heavy.filter { $0 == "a" }.count > heavy.filter { $0 == "b" }.count)
    }

    @Test("topics keep includes, inherits and {topic=} switches")
    func topics() throws {
        let (harness, output) = try Self.imported("topics.rive")
        #expect(output.warnings.isEmpty)
        #expect(harness.errors.isEmpty, "\(harness.errors)")
        #expect(harness.say("where am i") == "In the lobby.")
        #expect(harness.say("weather") == "ERR: No Reply Matched")
        #expect(harness.say("enter the room") == "You are in the room.")
        #expect(harness.say("where am i") == "In the room.")
        #expect(harness.say("weather") == "Sunny everywhere.")
        #expect(harness.say("a big room") == "This room has a big.")
        #expect(harness.say("how are you") == "Fine in the lobby.")
        #expect(harness.say("leave") == "You left.")
        #expect(harness.say("where am i") == "In the lobby.")
    }

    @Test("what cannot be imported is an error with file and line, never dropped silently")
    func warnings() throws {
        let (harness, output) = try Self.imported("macros.rive")
        let lines = output.warnings.map { "\($0.location!.line): \($0.message)" }
        #expect(output.warnings.allSatisfy { $0.location?.file == "Fixtures/macros.rive" })
        #expect(lines.contains { $0.hasPrefix("9: object macro 'reverse'") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("14: object macro call") })
        #expect(output.warnings.allSatisfy { $0.severity == .error })
        #expect(output.droppedSomething)
        #expect(output.summary.dropped.count == 2)
        #expect(output.summary.line.hasPrefix("imported 4 rules, 0 arrays, 0 substitutions, 0 topics; dropped 2: "))
        // What could be carried still loads and answers: the begin hook, globals, trigger tags.
        #expect(harness.errors.isEmpty, "\(harness.errors)")
        #expect(harness.say("reverse a b") == "")
        #expect(harness.say("env test") == "Debug is true.")
        #expect(harness.say("hi") == "Hi!")  // <bot name> is not defined: it stands for no words
    }

    @Test("the id comes from the file name and the document parses back to the same text")
    func document() throws {
        let output = RiveScriptImporter().convert([
            RiveScriptImporter.Source(name: "dir/My Bot_2.rive", text: "+ hi\n- \"quoted\" \\s{braces}\n")
        ])
        let text = output.text
        #expect(text.contains("id: \"my-bot-2\""))
        #expect(text.contains("name: \"My Bot 2\""))
        let harness = ScriptHarness(yaml: text)
        #expect(harness.say("hi") == "\"quoted\" {braces}")  // reply spaces are collapsed
    }

    @Test("CRLF line endings import exactly like LF ones")
    func lineEndings() throws {
        let source = try Self.fixture("basics.rive")
        let crlf = RiveScriptImporter.Source(
            name: source.name, text: source.text.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(RiveScriptImporter().convert([crlf]).text == RiveScriptImporter().convert([source]).text)
    }
}
