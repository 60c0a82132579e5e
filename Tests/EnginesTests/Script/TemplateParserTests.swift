import Diagnostics
import Engines
import PersonaTestSupport
import Testing

@Suite("Reply template compiler")
struct TemplateParserTests {
    @Test(
        "rejects unknown or malformed tags with a located, helpful error",
        arguments: [
            ("Hi {gte name}", 3, "did you mean '{get}'?"),
            ("{star", 0, "no '}' closes it"),
            ("oops }", 5, "write '}}' for a literal brace"),
            ("{set name}", 0, "needs 'name=value'"),
            ("{input12}", 0, "between 1 and 9"),
            ("{get}", 0, "needs a variable name"),
            ("{uppercse x}", 0, "did you mean '{uppercase}'?"),
            ("{id 3}", 0, "takes no argument"),
        ])
    func rejects(text: String, offset: Int, message: String) {
        do {
            _ = try TemplateParser.parse(text)
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.offset == offset, "\(text)")
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test("nests tags and keeps literal braces")
    func nests() throws {
        let template = try TemplateParser.parse("{{x}} {uppercase {get a|{star}}} {random a|{bot b}}")
        #expect(
            template.nodes == [
                .text("{x} "), .transform(.uppercase, [.get("a", default: [.star(1)])]), .text(" "),
                .random([[.text("a")], [.bot("b")]]),
            ])
    }

    @Test("never crashes on random templates, and errors point inside the text", arguments: [5 as UInt64, 6])
    func fuzz(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let pieces = [
            "{", "}", "{{", "}}", "star", "get ", "set ", "=", "|", "random ", "@ ", "x", " ", "2",
            "uppercase ", "topic ",
        ]
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...10, using: &generator)).map { _ in
                pieces.randomElement(using: &generator)!
            }.joined()
            do {
                _ = try TemplateParser.parse(text)
            } catch {
                #expect(error.offset >= 0 && error.offset <= text.count, "seed \(seed) input \"\(text)\"")
            }
        }
    }
}
