/// Cuts a finished reply into the tokens that are streamed to the client.
///
/// A token is a word (letters, digits and combining marks, with inner apostrophes — `don't` is
/// one token), a run of whitespace, or a single other character (punctuation, symbols, emoji).
/// Nothing is dropped or changed: joining the tokens gives the reply back exactly. Works on
/// grapheme clusters, so `é` written with a combining accent and flag emoji stay whole.
public enum Tokenizer {
    private enum Kind: Equatable {
        case word
        case space
        case other
    }

    /// The tokens of `text`, in order.
    public static func tokens(of text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var currentKind: Kind?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            var kind = classify(character)
            // An apostrophe between two word characters belongs to the word.
            if kind == .other, isApostrophe(character), currentKind == .word, next < text.endIndex,
                classify(text[next]) == .word
            {
                kind = .word
            }
            if kind == currentKind, kind != .other {
                current.append(character)
            } else {
                if !current.isEmpty { tokens.append(current) }
                current = String(character)
                currentKind = kind
            }
            index = next
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    private static func classify(_ character: Character) -> Kind {
        if character.isWhitespace { return .space }
        if character.isLetter || character.isNumber { return .word }
        if let first = character.unicodeScalars.first, first.properties.generalCategory == .nonspacingMark {
            return .word
        }
        return .other
    }

    private static func isApostrophe(_ character: Character) -> Bool {
        character == "'" || character == "\u{2019}"
    }
}
