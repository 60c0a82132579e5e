extension PIIScanner {
    /// The scalar whose UTF-8 encoding ends right before `index`, and where it starts; nil at
    /// `floor` or on a malformed sequence.
    func scalarBefore(_ index: Int, floor: Int) -> (value: UInt32, start: Int)? {
        var start = index - 1
        while start > floor && b[start] & 0xC0 == 0x80 && index - start < 4 { start -= 1 }
        guard start >= floor, start < index else { return nil }
        return decodeScalar(start, end: index).map { ($0, start) }
    }

    /// The scalar whose UTF-8 encoding starts at `index`, and its length.
    func scalarAt(_ index: Int) -> (value: UInt32, length: Int)? {
        guard index < n else { return nil }
        let lead = b[index]
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        guard index + length <= n, let value = decodeScalar(index, end: index + length) else { return nil }
        return (value, length)
    }

    func decodeScalar(_ start: Int, end: Int) -> UInt32? {
        let lead = b[start]
        let length = end - start
        switch length {
        case 1: return lead < 0x80 ? UInt32(lead) : nil
        case 2 where lead & 0xE0 == 0xC0: break
        case 3 where lead & 0xF0 == 0xE0: break
        case 4 where lead & 0xF8 == 0xF0: break
        default: return nil
        }
        var value = UInt32(lead) & (0x7F >> UInt32(length))
        for index in (start + 1)..<end {
            guard b[index] & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(b[index] & 0x3F)
        }
        return value
    }

    /// The writing system of a letter, or nil when the scalar is not a letter or mark.
    ///
    /// Scripts written without spaces put an address right after the sentence's own words
    /// ("メールは山田太郎@example.jp"); a local part is written in one script, so a change of
    /// script ends it. Combining marks (U+0300–036F) belong to any script (0).
    static func letterScript(_ value: UInt32) -> Int? {
        if value < 0x80 { return isAlpha(UInt8(value)) ? 1 : nil }
        if (0x0300..<0x0370).contains(value) { return 0 }
        guard let scalar = Unicode.Scalar(value), scalar.properties.isAlphabetic else { return nil }
        switch value {
        case 0x00C0..<0x0250, 0x1E00..<0x1F00: return 1  // Latin
        case 0x0370..<0x0400, 0x1F00..<0x2000: return 2  // Greek
        case 0x0400..<0x0530: return 3  // Cyrillic
        case 0x0590..<0x0600: return 4  // Hebrew
        case 0x0600..<0x0700: return 5  // Arabic
        case 0x0900..<0x0980: return 6  // Devanagari
        case 0x0E00..<0x0E80: return 7  // Thai
        case 0x3040..<0x30A0: return 8  // Hiragana
        case 0x30A0..<0x3100: return 9  // Katakana
        case 0x3400..<0x4DC0, 0x4E00..<0xA000: return 10  // Han
        case 0x1100..<0x1200, 0x3130..<0x3190, 0xAC00..<0xD7B0: return 11  // Hangul
        default: return 12 + Int(value >> 7)  // other blocks, 128 scalars at a time
        }
    }
}
