/// A compiled trigger: what the author wrote, the elements it compiles to, and the facts the
/// deterministic sort order needs.
public struct Pattern: Hashable, Sendable {
    /// The trigger as written.
    public var text: String
    /// The compiled elements, matched against the whole normalised input.
    public var elements: [PatternElement]

    /// Creates a pattern from compiled elements.
    public init(text: String, elements: [PatternElement]) {
        self.text = text
        self.elements = elements
    }

    /// The sort category (RiveScript's buckets), lower sorts first:
    /// 0 atomic (only words), 1 with optionals or alternatives but no wildcard,
    /// 2 contains `_`, 3 contains `#`, 4 contains `*`, 5 bare `_`, 6 bare `#`, 7 bare `*`.
    public var category: Int {
        if elements.count == 1, case .wildcard(let kind, _) = elements[0] {
            switch kind {
            case .letters: return 5
            case .number: return 6
            case .any: return 7
            }
        }
        var kinds: Set<WildcardKind> = []
        var hasGroup = false
        Self.scan(elements, kinds: &kinds, hasGroup: &hasGroup)
        if kinds.contains(.letters) { return 2 }
        if kinds.contains(.number) { return 3 }
        if kinds.contains(.any) { return 4 }
        return hasGroup ? 1 : 0
    }

    /// Words as RiveScript counts them for sorting: whitespace-separated pieces of the
    /// trigger, once punctuation that normalisation drops is removed.
    public var wordCount: Int { sortText.split(whereSeparator: \.isWhitespace).count }

    /// Characters, for the sort's length tie-break (punctuation that normalisation drops is not
    /// counted, so `hello!` and `hello` tie and keep definition order).
    public var sortLength: Int { sortText.count }

    /// The trigger without punctuation that normalisation drops (syntax characters stay).
    var sortText: String {
        let syntax: Set<Character> = ["*", "#", "_", "(", ")", "[", "]", "|", "@"]
        return String(text.filter { $0.isWhitespace || syntax.contains($0) || WordSplitter.isWordCharacter($0) || WordSplitter.isApostrophe($0) })
    }

    /// Literal words every matching input contains (top-level words only), used to skip rules
    /// cheaply before running the matcher.
    public var requiredWords: [String] {
        elements.compactMap { if case .word(let word) = $0 { return word } else { return nil } }
    }

    /// The words an input may start with for this pattern to match, or `nil` when it may start
    /// with anything (a wildcard or optional comes first).
    public var firstWords: Set<String>? {
        guard let first = elements.first else { return [] }
        switch first {
        case .word(let word): return [word]
        case .wildcard: return nil
        case .group(let alternatives, _, let optional):
            if optional { return nil }
            var words: Set<String> = []
            for alternative in alternatives {
                guard let head = alternative.first, case .word(let word) = head else { return nil }
                words.insert(word)
            }
            return words
        }
    }

    private static func scan(_ elements: [PatternElement], kinds: inout Set<WildcardKind>, hasGroup: inout Bool) {
        for element in elements {
            switch element {
            case .word: break
            case .wildcard(let kind, _): kinds.insert(kind)
            case .group(let alternatives, _, _):
                hasGroup = true
                for alternative in alternatives { scan(alternative, kinds: &kinds, hasGroup: &hasGroup) }
            }
        }
    }
}
