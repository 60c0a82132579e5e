/// The single-pass detector engine behind ``Scrubber``.
///
/// How it stays fast: one left-to-right walk over bytes. Runs of word bytes are skipped as a
/// unit after a few byte comparisons decide that no detector can start there; only a word
/// start whose first bytes could begin an entity (a digit, a known key prefix, two letters
/// and two digits, a hex group before `:`, a scheme before `://`, a password/secret keyword)
/// calls a detector, and every detector validates cheaply before doing anything costly
/// (checksums run only on candidates that already have the right shape). No allocation
/// happens unless a candidate is found. `@`, `+`, `(`, `[`, `{`, `-`, `/` and `::` are the
/// only non-word triggers.
///
/// Findings never overlap: once an entity is recorded the walk resumes after it.
struct PIIScanner {
    let b: UnsafeBufferPointer<UInt8>
    let n: Int
    /// First offset findings may start at (earlier bytes are look-back context only).
    let from: Int
    var matches: [RawMatch] = []
    var lastEnd: Int
    /// Where the walk resumes after a detector declined but consumed a run (0 = no hint).
    var resumeAt = 0
    /// ``runEnd(_:_:)`` memo: the last measured run of each class.
    var runStarts = InlineArray<10, Int>(repeating: 0)
    var runEnds = InlineArray<10, Int>(repeating: 0)
    /// The extent of the last URL examined and found clean (see ``detectURL(_:schemeEnd:)``).
    var cleanURLEnd = 0
    /// Whether URLs without credentials are findings (``PIIType/url``); when not, their text
    /// is scanned like any other (an address inside a link is still found).
    let reportURLs: Bool

    init(_ bytes: UnsafeBufferPointer<UInt8>, from: Int = 0, reportURLs: Bool = false) {
        b = bytes
        n = bytes.count
        self.from = from
        self.reportURLs = reportURLs
        // Context before `from` still counts for look-back; findings cannot start there
        // because the walk starts at `from` and the e-mail floor is max(lastEnd, from).
        lastEnd = 0
    }

    /// Scans `bytes` from `from` and returns findings in order.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, from: Int = 0, reportURLs: Bool = false) -> [RawMatch] {
        var scanner = PIIScanner(bytes, from: from, reportURLs: reportURLs)
        scanner.run()
        return scanner.matches
    }

    mutating func run() {
        var i = from
        while i < n {
            let c = b[i]
            if isWordByte(c) {
                var wordEnd = i + 1
                while wordEnd < n && isWordByte(b[wordEnd]) { wordEnd += 1 }
                if c != 0x5F, let end = detectWord(i, wordEnd) {
                    i = end
                    continue
                }
                i = max(wordEnd, resumeAt)
                continue
            }
            var found: Int? = nil
            switch c {
            case 0x40: found = detectEmail(at: i)  // @
            case 0x2B, 0x28:  // + (
                if isDigit(at(i + 1)) || (c == 0x2B && at(i + 1) == 0x28) { found = detectNumeric(i) }
                if found == nil && c == 0x28 { found = detectBracketedAt(i) }
                if found == nil && c == 0x2B { found = detectContextSecret(i) }
            case 0x5B, 0x7B:  // [ {
                found = detectBracketedAt(i)
            case 0x2F:  // /
                if at(i - 1) == 0x20 && at(i + 1) == 0x20 {
                    found = detectCredentialPair(i)
                } else if i == 0 || isSpace(b[i - 1]) || b[i - 1] == 0x3D || b[i - 1] == 0x3A {
                    found = detectContextSecret(i)
                }
            case 0x2D:  // -
                if at(i + 1) == 0x2D { found = detectPrivateKey(i) }
            case 0x3A:  // :
                if at(i + 1) == 0x3A && numericBoundaryBefore(i) { found = detectIPv6(i) }
            default: break
            }
            if let found {
                i = found
                continue
            }
            i += 1
        }
    }

    /// Records a finding and returns where the walk resumes.
    @discardableResult
    mutating func record(_ start: Int, _ end: Int, _ type: PIIType, anchor: Int? = nil) -> Int {
        matches.append(RawMatch(start: start, end: end, type: type, anchor: min(start, anchor ?? start)))
        lastEnd = end
        return end
    }

    // MARK: - Dispatch at a word start

    mutating func detectWord(_ i: Int, _ wordEnd: Int) -> Int? {
        let c = b[i]
        if isDigit(c) { return detectDigitWord(i, wordEnd) }
        if let end = detectPrefixedKey(i) { return end }
        if isAlpha(at(i + 1)) && isDigit(at(i + 2)) && isDigit(at(i + 3)), let end = detectIBAN(i) {
            return end
        }
        let next = at(wordEnd)
        if isHex(c) && wordEnd - i <= 4 && (next == 0x3A || (next == 0x2D && wordEnd - i == 2)) {
            if let end = detectMAC(i) { return end }
            if next == 0x3A, let end = detectIPv6(i) { return end }
        }
        if isHex(c) && wordEnd - i == 4 && next == 0x2E, let end = detectDottedMAC(i) { return end }
        if next == 0x3A && at(wordEnd + 1) == 0x2F && at(wordEnd + 2) == 0x2F {
            return detectURL(i, schemeEnd: wordEnd)
        }
        if wordEnd - i == 2 && (b[i] | 0x20) == 0x61 && (b[i + 1] | 0x20) == 0x74 && next == 0x20,
            let end = detectWordAt(i)
        {
            return end
        }
        if wordEnd - i >= 8 || next == 0x2F || next == 0x2B, let end = detectContextSecret(i) { return end }
        return detectKeyword(i, wordEnd)
    }

    mutating func detectDigitWord(_ i: Int, _ wordEnd: Int) -> Int? {
        let length = wordEnd - i
        let c = b[i]
        if c == 0x30 && (at(i + 1) | 0x20) == 0x78 {
            return detectEthereum(i, wordEnd)
        }
        if (c == 0x31 || c == 0x33) && length >= 26 && length <= 35 {
            if let end = detectBase58(i, wordEnd) { return end }
        }
        let next = at(wordEnd)
        if length <= 4 && (next == 0x3A || (next == 0x2D && length == 2)) && isHexRun(i, wordEnd) {
            if let end = detectMAC(i) { return end }
            if next == 0x3A, let end = detectIPv6(i) { return end }
        }
        if length == 4 && next == 0x2E && isHexRun(i, wordEnd), let end = detectDottedMAC(i) { return end }
        if length >= 8, let end = detectDigitLedKey(i, wordEnd) { return end }
        guard isDigitRun(i, wordEnd), numericBoundaryBefore(i) else { return nil }
        if length <= 3 && next == 0x2E, let end = detectIPv4(i) { return end == -1 ? nil : end }
        return detectNumeric(i)
    }

    // MARK: - Byte helpers

    @inline(__always) func at(_ index: Int) -> UInt8 {
        index >= 0 && index < n ? b[index] : 0
    }

    func isDigitRun(_ start: Int, _ end: Int) -> Bool {
        var index = start
        while index < end {
            if !isDigit(b[index]) { return false }
            index += 1
        }
        return true
    }

    func isHexRun(_ start: Int, _ end: Int) -> Bool {
        var index = start
        while index < end {
            if !isHex(b[index]) { return false }
            index += 1
        }
        return true
    }

    /// Whether a number may start at `index`: start of text, whitespace, or opening/assignment
    /// punctuation before it. A letter, digit, `.`, `-`, `/`, `#`, `$` or `_` before it means the
    /// digits are part of something else (an order id, a path, a price, a version).
    func numericBoundaryBefore(_ index: Int) -> Bool {
        if index == 0 { return true }
        let previous = b[index - 1]
        if isSpace(previous) || previous >= 0x80 { return true }
        switch previous {
        case 0x28, 0x5B, 0x7B, 0x22, 0x27, 0x60, 0x2C, 0x3B, 0x3D, 0x3C, 0x3E, 0x2A, 0x3A, 0x7C: return true
        default: return false
        }
    }

    /// Whether an entity may end at `index`: nothing alphanumeric glued on, and no `.`, `,`,
    /// `-`, `/`, `:` or `@` that continues into more alphanumerics.
    func numericBoundaryAfter(_ index: Int) -> Bool {
        if index >= n { return true }
        let next = b[index]
        if isWordByte(next) || next == 0x40 { return false }
        switch next {
        case 0x2E, 0x2C, 0x2D, 0x2F, 0x3A: return !isAlnum(at(index + 1))
        default: return true
        }
    }

    /// Whether a token-like entity (key, address) may end at `index`: no word byte after it,
    /// and no `-` that continues into more token characters.
    func tokenBoundaryAfter(_ index: Int) -> Bool {
        let next = at(index)
        if isWordByte(next) { return false }
        return next != 0x2D || !(isAlnum(at(index + 1)) || at(index + 1) == 0x5F)
    }

    /// Lowercased equality of `b[start..<start+word.count]` with an ASCII lowercase word.
    func matchesLower(_ start: Int, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard start >= 0, start + count <= n else { return false }
        let pointer = word.utf8Start
        for k in 0..<count where lower(b[start + k]) != pointer[k] { return false }
        return true
    }

    /// Exact (case-sensitive) prefix match.
    func matchesExact(_ start: Int, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard start >= 0, start + count <= n else { return false }
        let pointer = word.utf8Start
        for k in 0..<count where b[start + k] != pointer[k] { return false }
        return true
    }

    /// End of the run of `runClass` bytes starting at `start`.
    ///
    /// Memoised per class: every start inside a run already measured ends where it ended.
    /// Without this, text like "key=key=key=…" or "eyJ-eyJ-…" would re-measure the same run
    /// from every word start — quadratic in the message size.
    mutating func runEnd(_ start: Int, _ runClass: RunClass) -> Int {
        let slot = runClass.rawValue
        if runStarts[slot] <= start && start < runEnds[slot] { return runEnds[slot] }
        var index = start
        while index < n && runClass.contains(b[index]) { index += 1 }
        if index > start {
            runStarts[slot] = start
            runEnds[slot] = index
        }
        return index
    }

    /// The lowercase ASCII words in the `window` bytes before `index`, nearest first.
    ///
    /// The window stops at the end of the previous finding and at `]` or `>`, so context never
    /// comes from inside something already redacted — neither from the original text of a
    /// finding nor from the label that replaced it ("<PHONE_1>" must not count as "phone").
    /// That keeps a second pass over scrubbed text deciding exactly as the first did.
    func wordsBefore(_ index: Int, window: Int) -> [[UInt8]] {
        var words: [[UInt8]] = []
        var cursor = index - 1
        var limit = max(0, index - window, lastEnd)
        var barrier = index - 1
        while barrier >= limit {
            if b[barrier] == 0x5D || b[barrier] == 0x3E {
                limit = barrier + 1
                break
            }
            barrier -= 1
        }
        while cursor >= limit {
            while cursor >= limit && !isAlpha(b[cursor]) { cursor -= 1 }
            if cursor < limit { break }
            var start = cursor
            while start > limit && isAlpha(b[start - 1]) { start -= 1 }
            words.append((start...cursor).map { lower(b[$0]) })
            cursor = start - 1
        }
        return words
    }
}

/// The byte classes detectors measure runs of.
enum RunClass: Int {
    case base64URL, upperOrDigit, alnum, alnumOrUnderscore, alnumOrDash, hex, secretValue, nonSpace, alpha,
        base64

    @inline(__always) func contains(_ c: UInt8) -> Bool {
        switch self {
        case .base64URL: isBase64URL(c)
        case .upperOrDigit: isUpper(c) || isDigit(c)
        case .alnum: isAlnum(c)
        case .alnumOrUnderscore: isAlnum(c) || c == 0x5F
        case .alnumOrDash: isAlnum(c) || c == 0x2D
        case .hex: isHex(c)
        case .secretValue:
            isAlnum(c) || c == 0x2B || c == 0x2F || c == 0x3D || c == 0x5F || c == 0x2D || c == 0x2E
                || c == 0x7E
        case .nonSpace: !isSpace(c)
        case .alpha: isAlpha(c)
        case .base64: isAlnum(c) || c == 0x2B || c == 0x2F
        }
    }
}

// MARK: - Byte classes (free functions so they inline everywhere)

@inline(__always) func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
@inline(__always) func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 }
@inline(__always) func isUpper(_ c: UInt8) -> Bool { c &- 0x41 < 26 }
@inline(__always) func isLower(_ c: UInt8) -> Bool { c &- 0x61 < 26 }
@inline(__always) func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isAlpha(c) }
@inline(__always) func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20) &- 0x61 < 6 }
/// ASCII letters, digits and `_`. Non-ASCII bytes are deliberately not word bytes: scripts
/// written without spaces (Japanese, Chinese, Thai) put numbers and addresses right next to
/// letters ("携帯は090-3456-7812です"), so a non-ASCII neighbour must count as a boundary.
@inline(__always) func isWordByte(_ c: UInt8) -> Bool { isAlnum(c) || c == 0x5F }
@inline(__always) func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c &- 0x09) < 5 }
@inline(__always) func lower(_ c: UInt8) -> UInt8 { isUpper(c) ? c | 0x20 : c }
@inline(__always) func isBase64URL(_ c: UInt8) -> Bool { isAlnum(c) || c == 0x2D || c == 0x5F }
