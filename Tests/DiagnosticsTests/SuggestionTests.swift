import Diagnostics
import Testing

@Suite("Did-you-mean suggestions")
struct SuggestionTests {
    @Test(
        "suggests the known key for a near miss",
        arguments: [
            ("greting", "greeting"), ("geeting", "greeting"), ("greetnig", "greeting"),
            ("farwell", "farewell"), ("Engine", "engine"), ("tgas", "tags"),
        ])
    func suggestsNearMiss(typo: String, expected: String) {
        let keys = ["id", "name", "greeting", "farewell", "engine", "tags"]
        #expect(Suggestion.closest(to: typo, among: keys) == expected)
    }

    @Test("suggests nothing when no candidate is close")
    func nothingWhenFar() {
        #expect(Suggestion.closest(to: "zzzzzz", among: ["greeting", "farewell"]) == nil)
        #expect(Suggestion.didYouMean("qq", among: ["id"]) == "")
    }

    @Test("counts an adjacent transposition as one edit")
    func transpositionIsOneEdit() {
        #expect(Suggestion.editDistance("ab", "ba") == 1)
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
        #expect(Suggestion.editDistance("", "abc") == 3)
    }
}

@Suite("Diagnostic rendering")
struct DiagnosticRenderingTests {
    @Test("renders file:line:col: severity: message")
    func rendersCompilerStyle() {
        let d = Diagnostic.error("unknown-key", at: SourceLocation(file: "a.yaml", line: 3, column: 5), "unknown key 'x'")
        #expect(d.description == "a.yaml:3:5: error: unknown key 'x'")
        #expect(Diagnostic.warning("w", at: nil, "careful").description == "warning: careful")
    }

    @Test("sorts by file, line and column")
    func sortsByLocation() {
        let late = Diagnostic.error("c", at: SourceLocation(file: "a.yaml", line: 9, column: 1), "late")
        let early = Diagnostic.error("c", at: SourceLocation(file: "a.yaml", line: 2, column: 7), "early")
        let otherFile = Diagnostic.error("c", at: SourceLocation(file: "b.yaml", line: 1, column: 1), "b")
        #expect([otherFile, late, early].sorted() == [early, late, otherFile])
    }
}
