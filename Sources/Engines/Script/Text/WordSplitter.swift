/// The Unicode-aware word splitting shared by input normalisation, trigger literals and
/// substitution tables, so all three always agree on what a word is.
///
/// A word is a run of letters, digits and combining marks; an apostrophe (`'` or `’`) between
/// two such characters stays inside the word (`don't`), so substitutions can see it. Every
/// other character — whitespace, punctuation, symbols — separates words and is dropped.
///
/// One exception: a PII placeholder the scrubber left in the message — `[EMAIL]`,
/// `<PHONE_2>`: capitals, digits and `_` in square or angle brackets — is one word, brackets
/// included, so a capture such as `{star}` hands it back whole instead of as a bare `EMAIL`.
enum WordSplitter {
    /// The raw words of `text`, apostrophes kept, case kept.
    static func rawWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var pendingApostrophe = false
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            if character == "[" || character == "<", let end = placeholderEnd(in: characters, openingAt: index - 1) {
                if !current.isEmpty { words.append(current) }
                current = ""
                words.append(String(characters[(index - 1)...end]))
                index = end + 1
                pendingApostrophe = false
                continue
            }
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

    /// The index of the closing bracket when `characters[start]` opens a scrubber placeholder
    /// (`[` or `<`, then a capital, then capitals, digits or `_`, then the matching bracket).
    static func placeholderEnd(in characters: [Character], openingAt start: Int) -> Int? {
        let closing: Character = characters[start] == "[" ? "]" : ">"
        var index = start + 1
        guard index < characters.count, let first = characters[index].asciiValue, (0x41...0x5A).contains(first)
        else { return nil }
        while index < characters.count, let ascii = characters[index].asciiValue,
            (0x41...0x5A).contains(ascii) || (0x30...0x39).contains(ascii) || ascii == 0x5F
        {
            index += 1
        }
        guard index < characters.count, characters[index] == closing else { return nil }
        return index
    }

    /// The matching key of a raw word: case-folded without apostrophes.
    static func key(_ raw: String) -> String {
        var key = fold(raw)
        key.removeAll { $0 == "'" }
        return key
    }

    /// Unicode-aware caseless form: lowercased, plus the full case foldings lowercasing misses
    /// (`ß` → `ss`, so "GRÜSS" and "grüß" agree; final `ς` → `σ`).
    static func fold(_ raw: String) -> String {
        let lowered = raw.lowercased()
        guard lowered.contains(where: { $0 == "ß" || $0 == "ς" }) else { return lowered }
        var folded = ""
        for character in lowered {
            switch character {
            case "ß": folded += "ss"
            case "ς": folded.append("σ")
            default: folded.append(character)
            }
        }
        return folded
    }

    static func isWordCharacter(_ character: Character) -> Bool {
        if let ascii = character.asciiValue {
            return (0x61...0x7A).contains(ascii) || (0x41...0x5A).contains(ascii) || (0x30...0x39).contains(ascii)
        }
        if character.isLetter || character.isNumber { return true }
        guard let first = character.unicodeScalars.first else { return false }
        return first.properties.generalCategory == .nonspacingMark
            || first.properties.generalCategory == .spacingMark
    }

    static func isApostrophe(_ character: Character) -> Bool {
        character == "'" || character == "\u{2019}"
    }
}
