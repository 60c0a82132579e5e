import Engines
import PersonaTestSupport
import Testing

@Suite("Tokenizer")
struct TokenizerTests {
    @Test(
        "cuts words, whitespace runs and punctuation apart",
        arguments: [
            ("Hello, world!", ["Hello", ",", " ", "world", "!"]),
            ("don't  stop", ["don't", "  ", "stop"]),
            ("Ich heiße Jürgen.", ["Ich", " ", "heiße", " ", "Jürgen", "."]),
            ("e\u{301}té 🇩🇪!", ["e\u{301}té", " ", "🇩🇪", "!"]),
            ("'quoted'", ["'", "quoted", "'"]),
            ("", []),
            ("\n\t x", ["\n\t ", "x"]),
        ])
    func examples(text: String, expected: [String]) {
        #expect(Tokenizer.tokens(of: text) == expected)
    }

    @Test("joining the tokens gives the text back, for random Unicode text", arguments: [1 as UInt64, 2, 3])
    func roundTrip(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let alphabet: [String] = [
            "a", "Z", "ß", "é", "e\u{301}", "日", "本", "🙂", "🇫🇷", "'", "’", " ", "  ", "\n", "\t", ",", ".",
            "!", "-", "1",
            "٣", "\u{200D}", "\r\n", "{", "}",
        ]
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0...30, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            }.joined()
            let tokens = Tokenizer.tokens(of: text)
            #expect(tokens.joined() == text, "seed \(seed) input \(text.debugDescription)")
            #expect(!tokens.contains(""), "seed \(seed) input \(text.debugDescription)")
        }
    }
}
