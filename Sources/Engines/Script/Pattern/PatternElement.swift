/// One piece of a compiled trigger.
public indirect enum PatternElement: Hashable, Sendable {
    /// A literal word, normalised like input (lowercase, no apostrophes).
    case word(String)
    /// `*`, `#` or `_`; `captures` is false inside groups.
    case wildcard(WildcardKind, captures: Bool)
    /// `(a|b c)` (captures, must match one alternative), `[a|b]` (optional, never captures),
    /// and `@array` / `(@array)` (alternatives are the array's items).
    case group(alternatives: [[PatternElement]], captures: Bool, optional: Bool)
    /// `{bot name}`, `{get name}`, `{env name}`, `{input1}`, `{reply1}` written in a trigger:
    /// replaced at match time by the value's words (normalised like input), which must then
    /// appear literally. An unset value stands for no words at all.
    case tag(TriggerTag)
}

/// A value a trigger reads at match time (RiveScript's `<bot>`, `<get>`, `<input>`, `<reply>`
/// in `+` lines).
public enum TriggerTag: Hashable, Sendable {
    /// A bot variable.
    case bot(String)
    /// A session variable.
    case get(String)
    /// A global variable.
    case env(String)
    /// An earlier user message (1 = the latest).
    case input(Int)
    /// An earlier bot reply (1 = the latest).
    case reply(Int)

    /// True for `{inputN}` and `{replyN}`, which read as `undefined` before the history is
    /// that long (variables that are unset read as no words).
    var readsHistory: Bool {
        switch self {
        case .input, .reply: return true
        default: return false
        }
    }
}

/// The three RiveScript wildcards.
public enum WildcardKind: Hashable, Sendable {
    /// `*`: one or more words of anything.
    case any
    /// `#`: one word made of digits.
    case number
    /// `_`: one word made only of letters (RiveScript 2.0: "to match only letters").
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

    /// True when the wildcard spans several words (`#` and `_` are always a single word).
    var spansWords: Bool { self == .any }
}
