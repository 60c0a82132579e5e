extension Character {
    /// `isWhitespace` with an ASCII fast path: the Unicode property look-up behind
    /// `isWhitespace` dominated registry loads, and triggers are almost always ASCII.
    var isSpace: Bool {
        if let ascii = asciiValue { return ascii == 0x20 || (0x09...0x0D).contains(ascii) }
        return isWhitespace
    }
}
