import Engines
import PersonaRuntime
import PersonaTestSupport
import Testing

@Suite("Reply tokenizer")
struct ReplyTokenizerTests {
    @Test(
        "the ASCII fast path cuts exactly like Tokenizer",
        arguments: [
            "", "a", "don't stop", "it's 'quoted' isn't it'", "Hello,  world!\r\n\tNext line\u{0B}\u{0C}end",
            "x''y a'b' 'c 99 bottles", "Café au lait — naïve 😀", "e\u{301}tude",
        ])
    func sameAsTokenizer(text: String) {
        #expect(ReplyTokenizer.tokens(of: text) == Tokenizer.tokens(of: text))
    }

    @Test("random ASCII text cuts exactly like Tokenizer")
    func fuzz() {
        var generator = SeededGenerator(seed: 7)
        let alphabet = Array("ab Z09'’\r\n\t.,!?-_\u{0B}\u{0C}\u{1}\u{7F}\u{1C}\u{1F}\u{0}")
        for _ in 0..<2_000 {
            let text = String(
                (0..<Int.random(in: 0..<24, using: &generator)).map { _ in
                    alphabet.randomElement(using: &generator)!
                })
            #expect(
                ReplyTokenizer.tokens(of: text) == Tokenizer.tokens(of: text),
                "seed 7: \(text.debugDescription)")
        }
    }
}
