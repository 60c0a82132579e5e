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
    public var wordCount: Int { sortMetrics.words }

    /// Characters, for the sort's length tie-break (punctuation that normalisation drops is not
    /// counted, so `hello!` and `hello` tie and keep definition order).
    public var sortLength: Int { sortMetrics.length }

    /// Both sort measures in one pass over the trigger: the characters normalisation keeps
    /// (words, whitespace and syntax), and the whitespace-separated pieces they form.
    /// Registry loads compute this for every trigger, so ASCII takes a fast path that avoids
    /// Unicode property look-ups.
    public var sortMetrics: (words: Int, length: Int) {
        var words = 0
        var length = 0
        var inWord = false
        for character in text {
            let kept: Bool
            let whitespace: Bool
            if let ascii = character.asciiValue {
                whitespace = ascii == 0x20 || (0x09...0x0D).contains(ascii)
                kept =
                    whitespace || (0x61...0x7A).contains(ascii) || (0x41...0x5A).contains(ascii)
                    || (0x30...0x39).contains(ascii) || Self.syntaxBytes.contains(ascii) || ascii == 0x27
            } else {
                whitespace = character.isWhitespace
                kept =
                    whitespace || WordSplitter.isWordCharacter(character) || WordSplitter.isApostrophe(character)
            }
            guard kept else { continue }
            length += 1
            if whitespace {
                inWord = false
            } else if !inWord {
                words += 1
                inWord = true
            }
        }
        return (words, length)
    }

    /// The ASCII syntax characters a trigger keeps for sorting: `* # _ ( ) [ ] | @`.
    private static let syntaxBytes: Set<UInt8> = Set("*#_()[]|@".utf8)

    /// True when the trigger reads values at match time (`{get name}` and the other tags).
    public var hasTags: Bool { Self.containsTag(elements) }

    private static func containsTag(_ elements: [PatternElement]) -> Bool {
        elements.contains { element in
            switch element {
            case .tag: return true
            case .group(let alternatives, _, _): return alternatives.contains(where: containsTag)
            default: return false
            }
        }
    }

    /// Literal words every matching input contains (top-level words only), used to skip rules
    /// cheaply before running the matcher.
    public var requiredWords: [String] {
        elements.compactMap { if case .word(let word) = $0 { return word } else { return nil } }
    }

    /// The words an input may start with for this pattern to match, or `nil` when it may start
    /// with anything (a wildcard can come first). Leading optionals add their first words and
    /// let the next element's first words count too.
    public var firstWords: Set<String>? {
        var words: Set<String> = []
        for element in elements {
            switch element {
            case .word(let word):
                words.insert(word)
                return words
            case .wildcard, .tag:
                return nil
            case .group(let alternatives, _, let optional):
                for alternative in alternatives {
                    guard let head = alternative.first, case .word(let word) = head else { return nil }
                    words.insert(word)
                }
                if !optional { return words }
            }
        }
        return words.isEmpty ? nil : words
    }

    private static func scan(
        _ elements: [PatternElement], kinds: inout Set<WildcardKind>, hasGroup: inout Bool
    ) {
        for element in elements {
            switch element {
            case .word, .tag: break
            case .wildcard(let kind, _): kinds.insert(kind)
            case .group(let alternatives, _, _):
                hasGroup = true
                for alternative in alternatives { scan(alternative, kinds: &kinds, hasGroup: &hasGroup) }
            }
        }
    }
}
