extension PIIScanner {
    static let phoneContext: [[UInt8]] = [
        "phone", "call", "tel", "telephone", "mobile", "cell", "whatsapp", "text", "sms", "fax",
        "reach", "contact", "ring", "dial", "handy", "telefon", "telefono", "portable", "movil", "celular",
        "landline", "signal", "viber", "line", "hotline", "pager", "cellphone", "tlf", "ph", "mob",
        "telefone", "tfno", "ruf", "anrufen",
    ].map { Array($0.utf8) }
    static let notPhoneContext: [[UInt8]] = [
        "order", "invoice", "tracking", "ref", "reference", "isbn", "serial", "ticket", "account", "acct",
        "booking", "confirmation", "sku", "part", "model", "id", "case", "transaction", "receipt", "policy",
        "customer", "member", "routing", "zip", "postcode", "version", "build", "item", "product", "shipment",
        "parcel", "package", "claim", "batch", "lot", "code", "pnr", "awb", "upc", "ean", "imei", "vin", "room",
        "gate", "seat", "flight", "pin", "otp", "score", "points",
    ].map { Array($0.utf8) }
    static let numberWords: [[UInt8]] = ["number", "num", "no", "nr", "nummer", "numero"].map {
        Array($0.utf8)
    }
    static let ssnContext: [[UInt8]] = ["ssn", "social", "security", "ss", "taxpayer", "itin"].map {
        Array($0.utf8)
    }
    static let versionWords: [[UInt8]] = [
        "version", "ver", "v", "release", "build", "firmware", "fw", "rev", "revision", "update", "patch",
        "sdk", "kernel", "chrome", "firefox", "ios", "android", "python", "node", "java", "swift", "app",
        "upgrade", "upgraded", "downgrade", "installed", "releases", "versions", "package", "pkg", "driver",
        "bios", "os", "windows", "macos", "linux", "edition", "changelog", "tag",
    ].map { Array($0.utf8) }
    /// Words that introduce a section or clause number ("see 4.3.2.1", "clause 7.2.1.4").
    static let sectionWords: [[UInt8]] = [
        "section", "sections", "sec", "clause", "clauses", "chapter", "chap", "ch", "paragraph", "para",
        "article", "art", "rule", "item", "step", "figure", "fig", "table", "appendix", "annex", "see", "cf",
        "per", "rfc", "iso", "standard", "part", "point", "subsection", "heading", "page", "pp", "verse",
        "abschnitt", "kapitel", "absatz", "ziffer", "punkt", "apartado", "capitulo", "articolo",
    ].map { Array($0.utf8) }

    /// Reads digits and single separators (space, `-`, `.`, `/`, a parenthesised first group)
    /// starting at `start`, then tries the whole run and, when the run was joined by spaces,
    /// shorter runs dropping trailing groups — so "call 555-123-4567 5pm" still finds the phone.
    /// Classification (first that applies):
    /// - leading `+` (or `00`): E.164 — 8 to 15 digits with an assigned country code → phone;
    /// - four dot-separated groups → handled as IPv4 elsewhere; other dotted shapes only as
    ///   US `555.123.4567` or French `06.12.34.56.78`;
    /// - 3-2-4 → SSN if it passes the SSA rules (never a phone);
    /// - 13–19 digits in card grouping → card if the IIN range and Luhn check pass (never a phone);
    /// - 9–12 digits in a national phone shape (see ``nationalShape(_:)``) → phone, unless
    ///   a word like "order", "invoice" or "tracking" precedes it;
    /// - an unformatted 9–12 digit run → phone only after a word like "call", "phone" or
    ///   "number"; 9 digits after "ssn"/"social security" → SSN.
    mutating func detectNumeric(_ start: Int) -> Int? {
        guard numericBoundaryBefore(start) else { return nil }
        var candidate = NumericCandidate()
        var cursor = start
        if b[cursor] == 0x2B {
            candidate.plus = true
            cursor += 1
        }
        let limit = min(n, start + 40)
        while cursor < limit && candidate.groupCount < 12 {
            var parenthesised = false
            if b[cursor] == 0x28 {
                guard candidate.groupCount == 0 || (candidate.plus && candidate.groupCount == 1) else {
                    break
                }
                parenthesised = true
                cursor += 1
            }
            let groupStart = cursor
            while cursor < limit && isDigit(b[cursor]) && candidate.digitCount < 24 {
                candidate.digits[candidate.digitCount] = b[cursor] - 0x30
                candidate.digitCount += 1
                cursor += 1
            }
            if cursor == groupStart || (cursor < n && isDigit(b[cursor])) { return nil }
            let groupLength = cursor - groupStart
            if parenthesised {
                guard at(cursor) == 0x29 else { return nil }
                if candidate.groupCount == 0 { candidate.parenthesisedFirstGroup = true }
                cursor += 1
            }
            let index = candidate.groupCount
            candidate.groupEnds[index] = cursor
            candidate.groupLengths[index] = groupLength
            candidate.groupCount += 1
            let separator = at(cursor)
            if parenthesised && isDigit(separator) {
                candidate.separators[candidate.groupCount < 12 ? candidate.groupCount : 11] = 0x29
                continue
            }
            guard separator == 0x20 || separator == 0x2D || separator == 0x2E || separator == 0x2F else {
                break
            }
            // German "089 / 12 34 56 78": a spaced slash is one separator.
            if separator == 0x20 && at(cursor + 1) == 0x2F && at(cursor + 2) == 0x20
                && isDigit(at(cursor + 3))
            {
                if candidate.groupCount < 12 { candidate.separators[candidate.groupCount] = 0x2F }
                cursor += 3
                continue
            }
            let following = at(cursor + 1)
            guard isDigit(following) || (following == 0x28 && candidate.plus && candidate.groupCount == 1)
            else { break }
            if candidate.groupCount < 12 { candidate.separators[candidate.groupCount] = separator }
            cursor += 1
        }
        guard candidate.digitCount >= 7 else { return nil }

        var groups = candidate.groupCount
        while groups >= 1 {
            let end = candidate.groupEnds[groups - 1]
            if numericBoundaryAfter(end), let type = classify(candidate, groups: groups, start: start) {
                return record(start, end, type)
            }
            guard groups >= 2, candidate.separators[groups - 1] == 0x20 else { break }
            groups -= 1
        }
        // A failed run that starts with a long group (a card, an IBAN tail, a tracking number)
        // is not re-read from its later groups: "4532 0151 1283 0367" must not turn into the
        // phone "0151 1283 0367". Runs that start short ("12 555-123-4567") are.
        if candidate.groupCount > 1 && candidate.groupLengths[0] >= 4 {
            resumeAt = candidate.groupEnds[candidate.groupCount - 1]
        }
        return nil
    }

    /// The type of the first `groups` groups of a candidate, or nil.
    func classify(_ candidate: NumericCandidate, groups: Int, start: Int) -> PIIType? {
        var digitCount = 0
        var shape: UInt64 = 0
        var separatorMask = 0  // 1 space, 2 dash, 4 dot, 8 slash, 16 paren
        for index in 0..<groups {
            let length = candidate.groupLengths[index]
            digitCount += length
            shape = length > 15 ? UInt64.max : (shape << 4) | UInt64(length)
            if index > 0 {
                switch candidate.separators[index] {
                case 0x20: separatorMask |= 1
                case 0x2D: separatorMask |= 2
                case 0x2E: separatorMask |= 4
                case 0x2F: separatorMask |= 8
                default: separatorMask |= 16
                }
            }
        }
        if candidate.parenthesisedFirstGroup { separatorMask |= 16 }
        guard digitCount >= 7 else { return nil }
        let d = candidate.digits

        if candidate.plus {
            return (8...15).contains(digitCount) && PIIScanner.isCountryCode(d) && separatorMask & 4 == 0
                ? .phone : nil
        }
        if separatorMask == 4 {
            // Dotted: only the US and French phone layouts; everything else is a date or version.
            if shape == 0x334 && d[0] >= 2 && d[3] >= 2 { return notPhoneContextBefore(start) ? nil : .phone }
            if shape == 0x22222 && d[0] == 0 && d[1] != 0 {
                return notPhoneContextBefore(start) ? nil : .phone
            }
            return nil
        }
        if separatorMask & 4 != 0 { return nil }
        if d[0] == 0 && d[1] == 0 && groups >= 2 {
            var rest = InlineArray<24, UInt8>(repeating: 0)
            for k in 2..<digitCount { rest[k - 2] = d[k] }
            if (8...15).contains(digitCount - 2) && PIIScanner.isCountryCode(rest) { return .phone }
        }
        if shape == 0x324 && (separatorMask == 2 || separatorMask == 1) {
            return PIIScanner.isValidSSN(d) ? .ssn : nil
        }
        if digitCount >= 13 {
            guard digitCount <= 19, separatorMask == 0 || separatorMask == 1 || separatorMask == 2 else {
                return nil
            }
            guard groups == 1 || PIIScanner.isCardGrouping(candidate, groups: groups) else { return nil }
            return PIIScanner.isCard(d, count: digitCount) ? .creditCard : nil
        }
        // A 7-digit local number (exchange + line, NANP "555-0142", or a local number in most
        // plans) only with an explicit phone word before it: without one, seven digits are as
        // likely a ticket, an order or a count.
        if digitCount == 7 && d[0] >= 2 && separatorMask & ~3 == 0
            && (groups == 1 || (groups == 2 && shape == 0x34))
        {
            return phoneContext(before: start) == .phone ? .phone : nil
        }
        guard digitCount >= 9, digitCount <= 12 else { return nil }
        if groups == 1 {
            if digitCount == 9, PIIScanner.isValidSSN(d), contextBefore(start, PIIScanner.ssnContext) {
                return .ssn
            }
            guard PIIScanner.nationalDigits(d, count: digitCount), phoneContext(before: start) == .phone
            else { return nil }
            return .phone
        }
        guard
            PIIScanner.nationalShape(
                d, count: digitCount, shape: shape, candidate: candidate, groups: groups),
            !notPhoneContextBefore(start)
        else { return nil }
        return .phone
    }

    func contextBefore(_ start: Int, _ words: [[UInt8]]) -> Bool {
        let before = wordsBefore(start, window: 32)
        return before.contains { words.contains($0) }
    }

    /// What the nearest telling word before a number says about it.
    enum PhoneContext {
        case phone, notPhone, neutral
    }

    /// Reads the words before `start`, nearest first, up to 40 bytes: a phone word ("call",
    /// "phone", "mobile", ...) says phone; an identifier word ("order", "tracking", "invoice",
    /// ...) or a `#` right before says not-phone; "number"/"no"/"nr" counts as the word before
    /// it ("order number" is not a phone, "my number" is).
    func phoneContext(before start: Int) -> PhoneContext {
        if start >= 1 && b[start - 1] == 0x23 { return .notPhone }
        if start >= 2 && b[start - 2] == 0x23 { return .notPhone }
        let words = wordsBefore(start, window: 40)
        for (index, word) in words.enumerated() {
            if PIIScanner.notPhoneContext.contains(word) { return .notPhone }
            if PIIScanner.numberWords.contains(word) {
                if index + 1 < words.count && PIIScanner.notPhoneContext.contains(words[index + 1]) {
                    return .notPhone
                }
                return .phone
            }
            if PIIScanner.phoneContext.contains(word) { return .phone }
        }
        return .neutral
    }

    func notPhoneContextBefore(_ start: Int) -> Bool {
        phoneContext(before: start) == .notPhone
    }

    /// E.164 country codes (ITU-T E.164 assigned list, grouped by their first two digits).
    static func isCountryCode(_ d: InlineArray<24, UInt8>) -> Bool {
        switch d[0] {
        case 0: return false
        case 1, 7: return true
        default: break
        }
        let two = Int(d[0]) * 10 + Int(d[1])
        switch two {
        case 20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56,
            57, 58,
            60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98:
            return true
        case 21, 22, 23, 24, 25, 26, 29, 35, 37, 38, 42, 50, 59, 67, 68, 69, 85, 87, 88, 96, 97, 99:
            return true  // three-digit codes
        default:
            return false
        }
    }

    /// SSA rules for a 9-digit SSN: area not 000, 666 or 900–999; group not 00; serial not 0000.
    static func isValidSSN(_ d: InlineArray<24, UInt8>) -> Bool {
        let area = Int(d[0]) * 100 + Int(d[1]) * 10 + Int(d[2])
        let group = Int(d[3]) * 10 + Int(d[4])
        let serial = Int(d[5]) * 1000 + Int(d[6]) * 100 + Int(d[7]) * 10 + Int(d[8])
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
    }

    /// Card layouts: groups of four with a shorter last group, Amex 4-6-5, Diners 4-6-4; one
    /// separator kind throughout.
    static func isCardGrouping(_ candidate: NumericCandidate, groups: Int) -> Bool {
        guard !candidate.parenthesisedFirstGroup else { return false }
        let separator = candidate.separators[1]
        for index in 1..<groups where candidate.separators[index] != separator { return false }
        if groups == 3 && candidate.groupLengths[0] == 4 && candidate.groupLengths[1] == 6
            && (candidate.groupLengths[2] == 5 || candidate.groupLengths[2] == 4)
        {
            return true
        }
        guard groups >= 3 else { return false }
        for index in 0..<(groups - 1) where candidate.groupLengths[index] != 4 { return false }
        return (1...4).contains(candidate.groupLengths[groups - 1])
    }

    /// IIN ranges and lengths of the major schemes, then Luhn.
    static func isCard(_ d: InlineArray<24, UInt8>, count: Int) -> Bool {
        let p2 = Int(d[0]) * 10 + Int(d[1])
        let p3 = p2 * 10 + Int(d[2])
        let p4 = p3 * 10 + Int(d[3])
        let p6 = p4 * 100 + Int(d[4]) * 10 + Int(d[5])
        var brand = false
        if d[0] == 4 && (count == 13 || count == 16 || count == 19) { brand = true }  // Visa
        // Mastercard, including the 2-series 2221–2720.
        if ((51...55).contains(p2) || (2221...2720).contains(p4)) && count == 16 { brand = true }
        if (p2 == 34 || p2 == 37) && count == 15 { brand = true }  // Amex
        if (p4 == 6011 || (644...649).contains(p3) || p2 == 65 || (622126...622925).contains(p6))
            && count >= 16
        {
            brand = true  // Discover
        }
        if (3528...3589).contains(p4) && count >= 16 { brand = true }  // JCB
        // Diners Club.
        if ((300...305).contains(p3) || p2 == 36 || p2 == 38 || p2 == 39) && count >= 14 { brand = true }
        if p2 == 62 && count >= 16 { brand = true }  // UnionPay
        if (p2 == 50 || (56...58).contains(p2) || p4 == 6304 || p4 == 6759 || p4 == 6761 || p4 == 6762
            || p4 == 6763 || p3 == 639) && count >= 12
        {
            brand = true  // Maestro
        }
        guard brand else { return false }
        var sum = 0
        var double = false
        var index = count - 1
        while index >= 0 {
            var value = Int(d[index])
            if double {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
            double.toggle()
            index -= 1
        }
        return sum % 10 == 0
    }

    /// Digit-count and leading-digit rules of the supported national numbering plans, for
    /// unformatted runs.
    static func nationalDigits(_ d: InlineArray<24, UInt8>, count: Int) -> Bool {
        if d[0] == 0 { return d[1] != 0 && count >= 10 }  // trunk-prefixed (UK, DE, FR, IT, AU, JP, IN)
        if count == 10 && d[0] >= 2 && d[3] >= 2 { return true }  // NANP, MX
        if count == 11 && d[0] == 1 && d[1] >= 2 && d[4] >= 2 { return true }  // NANP with 1
        if count == 9 && d[0] >= 6 { return true }  // ES
        if count == 10 && (d[0] == 3 || d[0] >= 6) { return true }  // IT mobile, IN
        if count == 11 && d[2] == 9 && d[0] != 0 && d[1] != 0 { return true }  // BR mobile
        return false
    }

    /// Formatted national layouts:
    /// - trunk `0` + 1–5 digit area, groups of 2+ (UK `020 7946 0958`, `07700 900123`;
    ///   DE `030 12345678`, `089/1234567`; FR `01 23 45 67 89`; IT `02 1234 5678`;
    ///   AU `0412 345 678`, `(02) 9876 5432`; JP `090-1234-5678`; IN `098765 43210`);
    /// - NANP `555-123-4567`, `(555) 123-4567`, `1-555-123-4567` (area and exchange 2–9);
    /// - ES `612 345 678`, `91 123 45 67`; IT mobile `312 345 6789`; IN `98765 43210`;
    ///   BR `(11) 91234-5678`, `(21) 2345-6789`; MX `55 1234 5678`.
    static func nationalShape(
        _ d: InlineArray<24, UInt8>, count: Int, shape: UInt64,
        candidate: NumericCandidate, groups: Int
    ) -> Bool {
        if d[0] == 0 {
            guard d[1] != 0, groups >= 2, (2...6).contains(candidate.groupLengths[0]) else { return false }
            for index in 1..<groups where candidate.groupLengths[index] < 2 { return false }
            return true
        }
        if count == 10 && shape == 0x334 && d[0] >= 2 && d[3] >= 2 { return true }
        if count == 11 && shape == 0x1334 && d[0] == 1 && d[1] >= 2 && d[4] >= 2 { return true }
        if candidate.parenthesisedFirstGroup && shape != 0x334 && shape != 0x254 && shape != 0x244 {
            return false
        }
        if count == 9 && d[0] >= 6 && (shape == 0x333 || shape == 0x3222 || shape == 0x2322) { return true }
        if count == 10 && d[0] == 3 && (shape == 0x334 || shape == 0x37 || shape == 0x343) { return true }
        if count == 10 && d[0] >= 6 && (shape == 0x55 || shape == 0x334 || shape == 0x433) { return true }
        if d[1] != 0 && count == 11 && d[2] == 9 && (shape == 0x254 || shape == 0x29) { return true }
        if d[1] != 0 && count == 10 && (2...5).contains(d[2]) && (shape == 0x244 || shape == 0x28) {
            return true
        }
        if count == 10 && d[0] >= 2 && shape == 0x244 { return true }
        return false
    }

    /// A dotted quad at `start`. Returns the end when it is a reportable address, -1 when it
    /// is dotted-quad shaped but not reportable (bad octet, leading zero, loopback,
    /// unspecified, broadcast, or a version number), nil when it is not exactly four dotted
    /// groups.
    mutating func detectIPv4(_ start: Int) -> Int? {
        var cursor = start
        var octets = InlineArray<4, Int>(repeating: 0)
        var leadingZero = false
        for index in 0..<4 {
            let octetStart = cursor
            var value = 0
            while cursor < n && isDigit(b[cursor]) && cursor - octetStart < 4 {
                value = value * 10 + Int(b[cursor] - 0x30)
                cursor += 1
            }
            let length = cursor - octetStart
            guard length >= 1, length <= 3 else { return nil }
            if length > 1 && b[octetStart] == 0x30 { leadingZero = true }
            octets[index] = value
            if index < 3 {
                guard at(cursor) == 0x2E, isDigit(at(cursor + 1)) else { return nil }
                cursor += 1
            }
        }
        let next = at(cursor)
        // Five or more dotted groups: not an address (a French phone "06.12.34.56.78" or a
        // version); the numeric detector decides.
        if next == 0x2E && isDigit(at(cursor + 1)) { return nil }
        if leadingZero { return -1 }
        guard !isWordByte(next), next != 0x2D || !isAlnum(at(cursor + 1)) else { return -1 }
        for index in 0..<4 where octets[index] > 255 { return -1 }
        if octets[0] == 127 || (octets[0] == 0 && octets[1] == 0 && octets[2] == 0 && octets[3] == 0)
            || (octets[0] == 255 && octets[1] == 255 && octets[2] == 255 && octets[3] == 255)
        {
            return -1
        }
        if let previous = wordsBefore(start, window: 16).first, PIIScanner.versionWords.contains(previous) {
            // Only when the word is right before the number ("version 1.2.3.4", "v 1.2.3.4").
            var gap = start - 1
            while gap >= 0 && !isAlpha(b[gap]) { gap -= 1 }
            if start - gap <= 4 { return -1 }
        }
        // "see section 4.3.2.1", "upgrade to 4.3.2.1", "release notes for 2.14.1.3": a version
        // or section word among the three words before makes the dotted quad a number, not an
        // address.
        for word in wordsBefore(start, window: 40).prefix(3)
        where PIIScanner.versionWords.contains(word) || PIIScanner.sectionWords.contains(word) {
            return -1
        }
        return record(start, cursor, .ipAddress)
    }
}
