extension PIIScanner {
    /// Words that cannot be the local part or the first domain label of an address written
    /// with a plain " at " ("meet me at google dot com", "look at the dot on the map"): the
    /// plain word "at" is common English, so an address spelled with it must not start or
    /// end its sides on a function word.
    static let obfuscationStopwords: Set<[UInt8]> = Set(
        [
            "a", "an", "the", "me", "you", "him", "her", "us", "them", "it", "this", "that", "these", "those",
            "i", "im", "we", "they", "he", "she", "my", "your", "our", "their", "his", "its", "is", "was",
            "are", "be", "been", "am", "and", "or", "but", "to", "of", "in", "on", "for", "with", "by", "from",
            "up", "out", "look", "looked", "looking", "meet", "met", "see", "saw", "stay", "stayed", "arrive",
            "arrived", "here", "there", "home", "work", "school", "night", "noon", "least", "last", "first",
            "once", "all", "best", "most", "end", "start", "time", "point", "office", "only", "just", "still",
            "even", "not", "no", "yes", "so", "then", "now", "what", "where", "when", "who", "which", "how",
            "good", "bad", "great", "nothing", "something", "anything", "everything", "one", "two", "three",
            "aimed", "pointed", "laughed", "smiled", "stared", "shouted", "yelled", "staring", "pointing",
        ].map { Array($0.utf8) })

    /// Most bytes of an obfuscated address. Below the stream hold-back window (128), so an
    /// address with spaces can never straddle a release cut.
    static let maxObfuscatedEmailBytes = 120

    /// `[at]`, `(at)`, `{at}` (any case) at `i`: the length, or 0.
    func bracketedWord(_ i: Int, _ word: StaticString) -> Int {
        let open = at(i)
        let close: UInt8
        switch open {
        case 0x5B: close = 0x5D
        case 0x28: close = 0x29
        case 0x7B: close = 0x7D
        default: return 0
        }
        let count = word.utf8CodeUnitCount
        guard matchesLower(i + 1, word), at(i + 1 + count) == close else { return 0 }
        return count + 2
    }

    /// A plain-word " at " (the word at `i`, one space on each side) in an obfuscated address.
    mutating func detectWordAt(_ i: Int) -> Int? {
        guard i >= 1, b[i - 1] == 0x20, at(i + 2) == 0x20 else { return nil }
        return detectObfuscatedEmail(separatorStart: i, separatorEnd: i + 2, plainWord: true)
    }

    /// A bracketed `[at]` / `(at)` / `{at}` in an obfuscated address.
    mutating func detectBracketedAt(_ i: Int) -> Int? {
        let length = bracketedWord(i, "at")
        guard length > 0 else { return nil }
        return detectObfuscatedEmail(separatorStart: i, separatorEnd: i + length, plainWord: false)
    }

    /// Where a dot separator starting at `i` ends (the next label's start), or nil. Forms: a
    /// literal `.`; `[dot]`, `(dot)`, `{dot}` with optional single spaces around; a plain
    /// " dot " (any case) between spaces.
    func dotSeparatorEnd(_ i: Int) -> Int? {
        if at(i) == 0x2E { return isAlnum(at(i + 1)) || at(i + 1) >= 0x80 ? i + 1 : nil }
        var cursor = i
        if at(cursor) == 0x20 { cursor += 1 }
        let length = bracketedWord(cursor, "dot")
        if length > 0 {
            cursor += length
            if at(cursor) == 0x20 { cursor += 1 }
            return cursor
        }
        if cursor == i + 1, matchesLower(cursor, "dot"), at(cursor + 3) == 0x20 { return cursor + 4 }
        return nil
    }

    /// Where a dot separator ending at `end` (exclusive: `end` is the next label's start)
    /// begins, or nil. The mirror of ``dotSeparatorEnd(_:)``.
    func dotSeparatorStart(endingAt end: Int) -> Int? {
        if at(end - 1) == 0x2E { return end - 1 }
        var cursor = end
        if at(cursor - 1) == 0x20 { cursor -= 1 }
        let close = at(cursor - 1)
        if close == 0x5D || close == 0x29 || close == 0x7D, bracketedWord(cursor - 5, "dot") == 5 {
            cursor -= 5
            if at(cursor - 1) == 0x20 { cursor -= 1 }
            return cursor
        }
        if cursor == end - 1, matchesLower(cursor - 3, "dot"), at(cursor - 4) == 0x20 { return cursor - 4 }
        return nil
    }

    /// An address with its `@` written as a word ("anna dot k at posteo dot de",
    /// "pedro [at] cafe [dot] mx", "info(at)example(dot)org", "kim at gmail.com").
    ///
    /// Rule: a local part of up to four runs of address characters joined by dot separators,
    /// the at separator, then two or more domain labels joined by dot separators whose last is
    /// an alphabetic TLD of 2–24 letters. With the plain word "at", neither the local part
    /// (when it is one plain word) nor the first domain label may be a function word
    /// (``obfuscationStopwords``), and at least the domain must be joined by a separator.
    mutating func detectObfuscatedEmail(separatorStart: Int, separatorEnd: Int, plainWord: Bool) -> Int? {
        // Domain, forwards.
        var cursor = separatorEnd
        if at(cursor) == 0x20 { cursor += 1 }
        let domainStart = cursor
        var labels = 0
        var lastLabelStart = cursor
        var firstLabelEnd = cursor
        while true {
            let labelStart = cursor
            while cursor < n && (isAlnum(b[cursor]) || b[cursor] == 0x2D) { cursor += 1 }
            guard cursor > labelStart, b[labelStart] != 0x2D else { break }
            labels += 1
            lastLabelStart = labelStart
            if labels == 1 { firstLabelEnd = cursor }
            guard cursor - domainStart < PIIScanner.maxObfuscatedEmailBytes, let next = dotSeparatorEnd(cursor),
                isAlnum(at(next))
            else { break }
            cursor = next
        }
        guard labels >= 2 else { return nil }
        let tldLength = cursor - lastLabelStart
        guard (2...24).contains(tldLength), (lastLabelStart..<cursor).allSatisfy({ isAlpha(b[$0]) }),
            !isWordByte(at(cursor)), at(cursor) != 0x40
        else { return nil }

        // Local part, backwards.
        let floor = max(lastEnd, from)
        var start = separatorStart
        if at(start - 1) == 0x20 { start -= 1 }
        var parts = 0
        var plainLocal = true
        while parts < 4 {
            let runEnd = start
            while start > floor {
                let c = b[start - 1]
                guard isAlnum(c) || c == 0x2E || c == 0x5F || c == 0x2B || c == 0x2D || c == 0x27 || c == 0x25
                else { break }
                if !isAlpha(c) { plainLocal = false }
                start -= 1
            }
            guard start < runEnd else { return nil }
            parts += 1
            guard let separator = dotSeparatorStart(endingAt: start), separator > floor,
                isAlnum(at(separator - 1))
            else { break }
            plainLocal = false
            start = separator
        }
        while start < separatorStart, b[start] == 0x2E || b[start] == 0x2D || b[start] == 0x27 || b[start] == 0x2B {
            start += 1
        }
        guard start < separatorStart, isAlnum(b[start]), cursor - start <= PIIScanner.maxObfuscatedEmailBytes
        else { return nil }
        if plainWord {
            let firstLabel = (domainStart..<firstLabelEnd).map { lower(b[$0]) }
            if PIIScanner.obfuscationStopwords.contains(firstLabel) { return nil }
            if plainLocal {
                var localEnd = separatorStart
                while localEnd > start && b[localEnd - 1] == 0x20 { localEnd -= 1 }
                let local = (start..<localEnd).map { lower(b[$0]) }
                if PIIScanner.obfuscationStopwords.contains(local) { return nil }
            }
        }
        return record(start, cursor, .email)
    }
}
