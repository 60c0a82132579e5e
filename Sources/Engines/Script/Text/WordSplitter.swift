/// The Unicode-aware word splitting shared by input normalisation, trigger literals and
/// substitution tables, so all three always agree on what a word is.
///
/// A word is a run of letters, digits and combining marks; an apostrophe (`'` or `’`) between
/// two such characters stays inside the word (`don't`), so substitutions can see it. Every
/// other character — whitespace, punctuation, symbols — separates words and is dropped.
enum WordSplitter {
    /// The raw words of `text`, apostrophes kept, case kept.
    static func rawWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var pendingApostrophe = false
        for character in text {
            if isWordCharacter(character) {
                if pendingApostrophe { current.append("'") }
                pendingApostrophe = false
                current.append(character)
            } else if isApostrophe(character), !current.isEmpty, !pendingApostrophe {
                pendingApostrophe = true
            } else {
                pendingApostrophe = false
                if !current.isEmpty { words.append(current) }
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// The matching key of a raw word: lowercased (Unicode-aware) without apostrophes.
    static func key(_ raw: String) -> String {
        var key = raw.lowercased()
        key.removeAll { $0 == "'" }
        return key
    }

    static func isWordCharacter(_ character: Character) -> Bool {
        if character.isLetter || character.isNumber { return true }
        guard let first = character.unicodeScalars.first else { return false }
        return first.properties.generalCategory == .nonspacingMark
            || first.properties.generalCategory == .spacingMark
    }

    static func isApostrophe(_ character: Character) -> Bool {
        character == "'" || character == "\u{2019}"
    }
}
