extension PIIScanner {
    /// An e-mail address around the `@` at `at` (RFC 5321 §4.1.2 dot-atom local part,
    /// restricted to the characters people actually use, plus the letters of any one script
    /// (RFC 6531 internationalised local parts: "jürgen.groß@", "дмитрий@", "山田太郎@");
    /// domain of two or more labels — internationalised labels allowed (RFC 5890) — with an
    /// alphabetic TLD of at least two ASCII letters or an `xn--` TLD).
    mutating func detectEmail(at sign: Int) -> Int? {
        let floor = max(lastEnd, from)
        var start = sign
        var script = -1
        while start > floor {
            let c = b[start - 1]
            if c >= 0x80 {
                guard let (value, scalarStart) = scalarBefore(start, floor: floor),
                    let letter = PIIScanner.letterScript(value)
                else { break }
                if letter != 0 {
                    if script == -1 { script = letter }
                    guard letter == script else { break }
                }
                start = scalarStart
                if sign - start > 128 { return nil }
                continue
            }
            guard isAlnum(c) || c == 0x2E || c == 0x5F || c == 0x25 || c == 0x2B || c == 0x2D || c == 0x27
            else { break }
            if isAlpha(c) {
                if script == -1 { script = 1 }
                // ASCII letters belong with Latin only; digits and punctuation go with any script.
                guard script == 1 else { break }
            }
            start -= 1
            if sign - start > 128 { return nil }
        }
        // Leading punctuation belongs to the sentence, not the address.
        while start < sign, b[start] == 0x2E || b[start] == 0x2D || b[start] == 0x27 || b[start] == 0x2B {
            start += 1
        }
        guard start < sign, b[sign - 1] != 0x2E else { return nil }
        var index = start + 1
        while index < sign {
            if b[index] == 0x2E && b[index - 1] == 0x2E { return nil }
            index += 1
        }

        var cursor = sign + 1
        var labels = 0
        var lastLabelStart = cursor
        while true {
            let labelStart = cursor
            while cursor < n {
                if isAlnum(b[cursor]) || b[cursor] == 0x2D {
                    cursor += 1
                } else if b[cursor] >= 0x80, let (value, length) = scalarAt(cursor),
                    PIIScanner.letterScript(value) != nil
                {
                    cursor += length
                } else {
                    break
                }
            }
            // The TLD is ASCII: a script without spaces may follow it directly ("example.jpです").
            let continues = at(cursor) == 0x2E && (isAlnum(at(cursor + 1)) || at(cursor + 1) >= 0x80)
            if !continues {
                var asciiEnd = labelStart
                while asciiEnd < cursor && b[asciiEnd] < 0x80 { asciiEnd += 1 }
                if asciiEnd < cursor && asciiEnd - labelStart >= 2 && labels >= 1 { cursor = asciiEnd }
            }
            let length = cursor - labelStart
            guard length >= 1, length <= 63, b[labelStart] != 0x2D, b[cursor - 1] != 0x2D else { return nil }
            labels += 1
            lastLabelStart = labelStart
            if continues {
                cursor += 1
                continue
            }
            break
        }
        guard labels >= 2 else { return nil }
        // "icon@2x.png": a retina asset name, not an address (digits + "x" as the domain).
        let firstLabelEnd = (sign + 1..<cursor).first { b[$0] == 0x2E } ?? cursor
        if firstLabelEnd - sign >= 3 && lower(b[firstLabelEnd - 1]) == 0x78
            && isDigitRun(sign + 1, firstLabelEnd - 1) && labels == 2
        {
            return nil
        }
        let tldLength = cursor - lastLabelStart
        let alphabeticTLD = (lastLabelStart..<cursor).allSatisfy { isAlpha(b[$0]) }
        guard (alphabeticTLD && tldLength >= 2) || matchesLower(lastLabelStart, "xn--") else { return nil }
        guard at(cursor) != 0x40, !isWordByte(at(cursor)) else { return nil }
        return record(start, cursor, .email)
    }
}
