/// One piece of a compiled trigger.
public indirect enum PatternElement: Hashable, Sendable {
    /// A literal word, normalised like input (lowercase, no apostrophes).
    case word(String)
    /// `*`, `#` or `_`; `captures` is false inside groups.
    case wildcard(WildcardKind, captures: Bool)
    /// `(a|b c)` (captures, must match one alternative), `[a|b]` (optional, never captures),
    /// and `@array` / `(@array)` (alternatives are the array's items).
    case group(alternatives: [[PatternElement]], captures: Bool, optional: Bool)
}

/// The three RiveScript wildcards.
public enum WildcardKind: Hashable, Sendable {
    /// `*`: one or more words of anything.
    case any
    /// `#`: one word made of digits.
    case number
    /// `_`: one or more words made only of letters.
    case letters

    /// True when `word` (a normalised input word) may be part of this wildcard's match.
    func accepts(_ word: String) -> Bool {
        switch self {
        case .any: return true
        case .number: return !word.isEmpty && word.allSatisfy(\.isWholeNumber)
        case .letters:
            return !word.isEmpty
                && word.allSatisfy {
                    $0.isLetter
                        || $0.unicodeScalars.allSatisfy { $0.properties.generalCategory == .nonspacingMark }
                }
        }
    }

    /// True when the wildcard spans several words (`#` is always a single word).
    var spansWords: Bool { self != .number }
}
