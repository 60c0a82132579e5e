import CLI
import Testing

@Suite("Wrapping help text")
struct TextWrapperTests {
    @Test("breaks at spaces so no line exceeds the width")
    func wrapsAtSpaces() {
        let lines = TextWrapper.wrap("the quick brown fox jumps over the lazy dog", width: 15)
        #expect(lines == ["the quick brown", "fox jumps over", "the lazy dog"])
    }

    @Test("keeps a word longer than the width whole")
    func keepsLongWords() {
        let lines = TextWrapper.wrap("see https://example.com/a/very/long/path now", width: 10)
        #expect(lines == ["see", "https://example.com/a/very/long/path", "now"])
    }

    @Test("keeps paragraphs, blank lines and leading indentation")
    func keepsParagraphs() {
        let lines = TextWrapper.wrap("one two\n\n  - item three four", width: 12)
        #expect(lines == ["one two", "", "  - item", "  three four"])
    }

    @Test("joins usage pieces without splitting one, indenting continuation lines")
    func joinsPieces() {
        let lines = TextWrapper.join(
            ["tool", "[--alpha <a>]", "[--beta <b>]"], prefix: "USAGE: ", hangingIndent: 7, width: 26)
        #expect(lines == ["USAGE: tool [--alpha <a>]", "       [--beta <b>]"])
    }
}
