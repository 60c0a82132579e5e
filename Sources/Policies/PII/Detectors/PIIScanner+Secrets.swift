import Foundation

extension PIIScanner {
    /// Vendor keys recognised by prefix, each with its body alphabet and minimum length:
    /// AWS access key ids (`AKIA`/`ASIA`/... + 16 of `[A-Z0-9]`), Google (`AIza` + 35),
    /// GitHub (`ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 36, `github_pat_` + 22+), GitLab (`glpat-`),
    /// Slack (`xox[abposr]-`), Stripe (`sk_live_`/`rk_live_`/`sk_test_`/`rk_test_`/`whsec_`),
    /// OpenAI (`sk-`, `sk-proj-`, `sk-svcacct-`), Anthropic (`sk-ant-`), SendGrid (`SG.x.y`),
    /// Hugging Face (`hf_`), npm (`npm_`), Shopify (`shpat_`/`shpss_`/`shpca_`/`shppa_`), and
    /// JWTs (`eyJ…`).
    mutating func detectPrefixedKey(_ i: Int) -> Int? {
        guard let (end, type) = prefixedKeyEnd(i) else { return nil }
        return record(i, end, type)
    }

    /// The end and type of a prefixed key starting at `i`, without recording it.
    mutating func prefixedKeyEnd(_ i: Int) -> (Int, PIIType)? {
        if let found = knownPrefixedKeyEnd(i) { return found }
        return vendorKeyEnd(i).map { ($0, .apiKey) }
    }

    /// The hand-checked formats of ``prefixedKeyEnd(_:)``.
    mutating func knownPrefixedKeyEnd(_ i: Int) -> (Int, PIIType)? {
        switch b[i] {
        case 0x41:  // A
            if matchesExact(i, "AIza") {
                let end = runEnd(i + 4, .base64URL)
                return end - i >= 39 && tokenBoundaryAfter(end) ? (end, .apiKey) : nil
            }
            for prefix: StaticString in [
                "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "ABIA", "ACCA",
            ]
            where matchesExact(i, prefix) {
                let end = runEnd(i + 4, .upperOrDigit)
                return end - i == 20 && tokenBoundaryAfter(end) ? (end, .apiKey) : nil
            }
        case 0x67:  // g
            if b.count > i + 3 && at(i + 1) == 0x68 && at(i + 3) == 0x5F {
                switch at(i + 2) {
                case 0x70, 0x6F, 0x75, 0x73, 0x72:
                    let end = runEnd(i + 4, .alnum)
                    return end - i >= 40 && tokenBoundaryAfter(end) ? (end, .apiKey) : nil
                default: break
                }
            }
            if matchesExact(i, "github_pat_") {
                let end = runEnd(i + 11, .alnumOrUnderscore)
                return end - i >= 33 && tokenBoundaryAfter(end) ? (end, .apiKey) : nil
            }
            if matchesExact(i, "glpat-") {
                let end = runEnd(i + 6, .base64URL)
                return end - i >= 26 && tokenBoundaryAfter(end) ? (end, .apiKey) : nil
            }
        case 0x78:  // x
            if matchesExact(i, "xox") && at(i + 4) == 0x2D {
                switch at(i + 3) {
                case 0x61, 0x62, 0x70, 0x6F, 0x73, 0x72:
                    let end = runEnd(i + 5, .alnumOrDash)
                    return end - i >= 15 && tokenBoundaryAfter(end) ? (end, .apiKey) : nil
                default: break
                }
            }
        case 0x73, 0x72, 0x77:  // s r w
            for prefix: StaticString in ["sk_live_", "rk_live_", "sk_test_", "rk_test_", "whsec_"]
            where matchesExact(i, prefix) {
                let end = runEnd(i + prefix.utf8CodeUnitCount, .alnum)
                return end - i - prefix.utf8CodeUnitCount >= 16 && tokenBoundaryAfter(end)
                    ? (end, .apiKey) : nil
            }
            for prefix: StaticString in ["sk-proj-", "sk-ant-", "sk-svcacct-", "sk-admin-"]
            where matchesExact(i, prefix) {
                let end = runEnd(i + prefix.utf8CodeUnitCount, .base64URL)
                return end - i - prefix.utf8CodeUnitCount >= 20 && tokenBoundaryAfter(end)
                    ? (end, .apiKey) : nil
            }
            if matchesExact(i, "sk-") {
                let end = runEnd(i + 3, .alnum)
                let body = (i + 3)..<end
                return body.count >= 20 && tokenBoundaryAfter(end) && body.contains(where: { isDigit(b[$0]) })
                    && body.contains(where: { isAlpha(b[$0]) }) ? (end, .apiKey) : nil
            }
            for prefix: StaticString in ["shpat_", "shpss_", "shpca_", "shppa_"] where matchesExact(i, prefix)
            {
                let end = runEnd(i + 6, .hex)
                return end - i == 38 && tokenBoundaryAfter(end) ? (end, .apiKey) : nil
            }
        case 0x53:  // S
            if matchesExact(i, "SG.") {
                let first = runEnd(i + 3, .base64URL)
                guard first - i - 3 >= 16, at(first) == 0x2E else { return nil }
                let end = runEnd(first + 1, .base64URL)
                return end - first - 1 >= 16 && tokenBoundaryAfter(end) ? (end, .apiKey) : nil
            }
        case 0x68:  // h
            if matchesExact(i, "hf_") {
                let end = runEnd(i + 3, .alnum)
                return end - i - 3 >= 30 && tokenBoundaryAfter(end) ? (end, .apiKey) : nil
            }
        case 0x6E:  // n
            if matchesExact(i, "npm_") {
                let end = runEnd(i + 4, .alnum)
                return end - i - 4 >= 36 && tokenBoundaryAfter(end) ? (end, .apiKey) : nil
            }
        case 0x65:  // e
            if matchesExact(i, "eyJ"), let end = jwtEnd(i) { return (end, .jwt) }
        case 0x62, 0x42:  // b B
            if (at(i + 1) | 0x20) == 0x63 && at(i + 2) == 0x31 {
                let end = runEnd(i, .alnum)
                if end - i >= 14 && end - i <= 74 && tokenBoundaryAfter(end)
                    && Bech32.isValidAddress(UnsafeBufferPointer(rebasing: b[i..<end]))
                {
                    return (end, .cryptoWallet)
                }
            }
        default: break
        }
        return nil
    }

    /// A JWT (RFC 7519 §3: three base64url segments joined by dots) whose header decodes to
    /// a JSON object containing `"alg"` (RFC 7515 §4.1.1). The signature may be empty
    /// (`alg: none`).
    mutating func jwtEnd(_ i: Int) -> Int? {
        let headerEnd = runEnd(i, .base64URL)
        guard headerEnd - i >= 10, at(headerEnd) == 0x2E else { return nil }
        let payloadEnd = runEnd(headerEnd + 1, .base64URL)
        guard payloadEnd - headerEnd - 1 >= 2, at(payloadEnd) == 0x2E else { return nil }
        let end = runEnd(payloadEnd + 1, .base64URL)
        guard tokenBoundaryAfter(end), at(end) != 0x2E || !isBase64URL(at(end + 1)) else { return nil }
        guard let header = base64URLDecode(i, min(headerEnd, i + 400)) else { return nil }
        guard let first = header.first(where: { !isSpace($0) }), first == 0x7B else { return nil }
        let alg = Array("\"alg\"".utf8)
        guard header.count >= alg.count else { return nil }
        for start in 0...(header.count - alg.count) where Array(header[start..<(start + alg.count)]) == alg {
            return end
        }
        return nil
    }

    /// Decodes unpadded base64url (RFC 4648 §5); trailing partial bits are dropped.
    func base64URLDecode(_ start: Int, _ end: Int) -> [UInt8]? {
        var output: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        for index in start..<end {
            let c = b[index]
            let value: UInt32
            switch c {
            case 0x41...0x5A: value = UInt32(c - 0x41)
            case 0x61...0x7A: value = UInt32(c - 0x61 + 26)
            case 0x30...0x39: value = UInt32(c - 0x30 + 52)
            case 0x2D: value = 62
            case 0x5F: value = 63
            default: return nil
            }
            accumulator = accumulator << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8((accumulator >> UInt32(bits)) & 0xFF))
            }
        }
        return output
    }

    /// A PEM private-key block (RFC 7468 §2: `-----BEGIN <label>-----` … `-----END <label>-----`)
    /// whose label ends in `PRIVATE KEY`. Without an END line the block runs to the end of the
    /// text: a truncated key is still a key (and a stream holds it back until it ends).
    mutating func detectPrivateKey(_ i: Int) -> Int? {
        guard matchesExact(i, "-----BEGIN ") else { return nil }
        var cursor = i + 11
        let labelLimit = min(n, cursor + 48)
        while cursor < labelLimit && (isUpper(b[cursor]) || b[cursor] == 0x20 || isDigit(b[cursor])) {
            cursor += 1
        }
        guard matchesExact(cursor, "-----"), cursor - 11 >= i + 11,
            matchesExact(cursor - 11, "PRIVATE KEY")
        else { return nil }
        cursor += 5
        while cursor < n {
            if b[cursor] == 0x2D && matchesExact(cursor, "-----END ") {
                var close = cursor + 9
                while close < n && b[close] != 0x2D && !isSpace(b[close]) || (close < n && b[close] == 0x20) {
                    close += 1
                }
                if matchesExact(close, "-----") { return record(i, close + 5, .privateKey) }
                return record(i, n, .privateKey)
            }
            cursor += 1
        }
        return record(i, n, .privateKey)
    }

    /// Most bytes between the end of a keyword ("password", "api_key") and the start of the
    /// value it flags. A limit of the detector that the stream hold-back window relies on.
    static let maxKeywordPrefix = 64

    static let passwordKeywords: [[UInt8]] = [
        "password", "passwd", "pwd", "pw", "passcode", "passphrase", "pin", "passwort", "pass", "passe",
        "pword",
    ].map { Array($0.utf8) }
    /// Password words in other languages, by first letter (checked without allocating).
    static let foreignPasswordKeywords: [StaticString] = ["kennwort", "senha", "wachtwoord", "haslo", "lozinka"]
    static let linkingWords: [[UInt8]] = ["is", "was", "ist", "es", "lautet", "est", "are", "be", "to", "era", "war"]
        .map { Array($0.utf8) }
    /// Words that follow "my password is" without being the password.
    static let passwordStopwords: Set<[UInt8]> = Set(
        [
            "the", "a", "an", "not", "wrong", "incorrect", "correct", "right", "invalid", "expired", "too",
            "very",
            "being", "been", "reset", "changed", "same", "different", "weak", "strong", "secure", "short",
            "long",
            "required", "needed", "missing", "empty", "blank", "still", "also", "just", "now", "here",
            "there", "this",
            "that", "it", "my", "your", "our", "their", "his", "her", "what", "which", "who", "how", "why",
            "when",
            "where", "something", "anything", "nothing", "simple", "easy", "hard", "new", "old", "saved",
            "stored",
            "set", "locked", "forgotten", "lost", "hidden", "private", "secret", "safe", "fine", "ok", "okay",
            "please",
            "and", "or", "but", "so", "for", "to", "of", "in", "on", "at", "with", "by", "from", "because",
            "case",
            "sensitive", "written", "below", "above", "attached", "working", "accepted", "rejected", "broken",
            "bad",
            "good", "great", "protected", "encrypted", "hashed", "manager", "reset", "change", "update",
            "updated",
            "compromised", "leaked", "stolen", "shared", "known", "unknown", "same", "one", "mine", "yours",
            "none",
            "null", "nil", "undefined", "unset", "changing", "expiring", "complex", "enough", "like",
            "probably",
            "definitely", "really", "actually", "different", "standard", "default", "temporary", "stuck",
            "wrong.",
            "always", "never", "usually", "sent", "emailed", "texted", "case-sensitive", "visible", "shown",
            "requirements",
            "policy", "field", "box", "prompt", "screen", "page", "hint", "reminder", "only", "at least",
            "more", "less",
        ].map { Array($0.utf8) })
    static let passwordNameEndings: [[UInt8]] = [
        "password", "passwd", "pwd", "passcode", "passphrase", "passwort", "kennwort",
    ].map { Array($0.utf8) }

    /// Whether an identifier names a password: it ends in a password word (`DB_PASSWORD`,
    /// `PGPASSWORD`, `user_passwd`) or its last `_`-segment is `pass`/`pw` (`SMTP_PASS`).
    /// `PASSWORD_MIN_LENGTH` or `PASSWORD_RESET_TIMEOUT` name settings about passwords.
    static func namesPassword(_ word: [UInt8]) -> Bool {
        for ending in passwordNameEndings where word.count >= ending.count && Array(word.suffix(ending.count)) == ending {
            return true
        }
        for ending in ["_pass", "_pw", "-pass", "_pword"].map({ Array($0.utf8) })
        where word.count > ending.count && Array(word.suffix(ending.count)) == ending {
            return true
        }
        return false
    }

    static func containsPart(_ word: [UInt8], _ parts: [[UInt8]]) -> Bool {
        parts.contains { part in
            word.count >= part.count
                && (0...(word.count - part.count)).contains { Array(word[$0..<($0 + part.count)]) == part }
        }
    }

    static let secretNameParts: [[UInt8]] = [
        "secret", "token", "passw", "pwd", "credential", "apikey", "bearer", "signature", "authorization",
        "accesskey", "privatekey", "signingkey", "masterkey", "authkey", "accountkey", "sharedkey",
    ].map { Array($0.utf8) }

    /// Whether an identifier names a secret: contains one of ``secretNameParts``, or is `key`
    /// / ends in `_key` (`api_key`, `AWS_SECRET_ACCESS_KEY`). Plain containment of "key" or
    /// "auth" would take in `monkey`, `keyboard` and `author`.
    static func namesSecret(_ word: [UInt8]) -> Bool {
        if containsPart(word, secretNameParts) { return true }
        let key = Array("key".utf8)
        if word == key || word == Array("keys".utf8) { return true }
        return word.count > 4 && Array(word.suffix(4)) == Array("_key".utf8)
            || word.count > 5 && Array(word.suffix(5)) == Array("_auth".utf8)
    }

    /// Keyword-led findings:
    /// - a stated password: `password|passwd|pwd|pw|passcode|passphrase|pin|pass` followed by
    ///   `:`/`=` or by up to three words and `is`/`was` ("my password for the wifi is X"); the
    ///   value is the next whitespace-free token minus trailing punctuation, refused if it is
    ///   a common word (see ``passwordStopwords``), a placeholder (`[…]`, `<…>`), or, for `pin`,
    ///   not 4–8 digits;
    /// - a secret assignment: an identifier naming a secret (see ``namesSecret(_:)``)
    ///   followed by `:` or `=` and a value of at least 12 characters from the base64/hex/url-safe
    ///   alphabets with two or more character classes and a Shannon entropy of at least 3.0 bits
    ///   per character (random 12-character keys score about 3.3–3.6; words and version strings
    ///   score below 3). A value that is itself a prefixed vendor key is reported as that.
    mutating func detectKeyword(_ i: Int, _ wordEnd: Int) -> Int? {
        let length = wordEnd - i
        guard length >= 2, length <= 40 else { return nil }
        var next = at(wordEnd)
        let first = lower(b[i])
        // "contraseña" (the ñ ends the ASCII word) and "hasło".
        if first == 0x63 && length == 8 && matchesLower(i, "contrase") && next == 0xC3 && at(wordEnd + 1) == 0xB1
            && lower(at(wordEnd + 2)) == 0x61 && !isWordByte(at(wordEnd + 3))
        {
            return detectStatedPassword(wordEnd + 3, pin: false, keyword: i, strongOnly: false)
        }
        if first == 0x68 && length == 3 && matchesLower(i, "has") && next == 0xC5 && at(wordEnd + 1) == 0x82
            && lower(at(wordEnd + 2)) == 0x6F && !isWordByte(at(wordEnd + 3))
        {
            return detectStatedPassword(wordEnd + 3, pin: false, keyword: i, strongOnly: false)
        }
        guard next == 0x20 || next == 0x3A || next == 0x3D || next == 0x22 || next == 0x27 || next == 0x09
        else { return nil }
        // Every English password keyword starts with "p"; checking that first keeps ordinary
        // words (most of chat) from paying for the comparison.
        if first == 0x70 && length <= 10 {
            let word = (i..<wordEnd).map { lower(b[$0]) }
            if PIIScanner.passwordKeywords.contains(word),
                let end = detectStatedPassword(
                    wordEnd, pin: word == Array("pin".utf8), keyword: i,
                    strongOnly: word == Array("pass".utf8) || word == Array("passe".utf8))
            {
                return end
            }
        } else if (first == 0x6B || first == 0x73 || first == 0x77 || first == 0x68 || first == 0x6C) && length >= 5 {
            for keyword in PIIScanner.foreignPasswordKeywords
            where keyword.utf8CodeUnitCount == length && matchesLower(i, keyword) {
                if let end = detectStatedPassword(wordEnd, pin: false, keyword: i, strongOnly: false) { return end }
            }
        }
        if next == 0x20 || next == 0x09, mayNameSecret(i, wordEnd), let end = detectSpacedSecret(i, wordEnd) {
            return end
        }
        next = at(wordEnd)
        var cursor = wordEnd
        if next == 0x22 || next == 0x27 { cursor += 1 }
        while at(cursor) == 0x20 { cursor += 1 }
        guard at(cursor) == 0x3A || at(cursor) == 0x3D else { return nil }
        let word = (i..<wordEnd).map { lower(b[$0]) }
        // `DB_PASSWORD=…`, `user_passwd: …`: an assigned password follows the password rules
        // (any value that is not a common word), not the entropy rule.
        if PIIScanner.namesPassword(word),
            let end = detectStatedPassword(wordEnd, pin: false, keyword: i, strongOnly: false)
        {
            return end
        }
        guard PIIScanner.namesSecret(word) else { return nil }
        cursor += 1
        while at(cursor) == 0x20 || at(cursor) == 0x22 || at(cursor) == 0x27 { cursor += 1 }
        for scheme: StaticString in ["bearer ", "basic ", "token "] where matchesLower(cursor, scheme) {
            cursor += scheme.utf8CodeUnitCount
        }
        guard
            cursor - wordEnd <= PIIScanner.maxKeywordPrefix,
            numericBoundaryBefore(cursor) || at(cursor - 1) == 0x3A || at(cursor - 1) == 0x3D
                || at(cursor - 1) == 0x20
        else { return nil }
        if cursor < n, isAlpha(b[cursor]), let (end, type) = prefixedKeyEnd(cursor) {
            return record(cursor, end, type, anchor: i)
        }
        let end = runEnd(cursor, .secretValue)
        var valueEnd = end
        while valueEnd > cursor && (b[valueEnd - 1] == 0x2E || b[valueEnd - 1] == 0x2D) { valueEnd -= 1 }
        guard valueEnd - cursor >= 12, !isWordByte(at(end)), isHighEntropy(cursor, valueEnd) else {
            return nil
        }
        return record(cursor, valueEnd, .secret, anchor: i)
    }

    /// Shannon entropy ≥ 3.0 bits per character and at least two of lower/upper/digit, over
    /// the first 256 bytes (bounding the work per candidate; real secrets are shorter).
    func isHighEntropy(_ start: Int, _ fullEnd: Int) -> Bool {
        let end = min(fullEnd, start + 256)
        var counts = InlineArray<128, UInt16>(repeating: 0)
        var classes = 0
        for index in start..<end {
            let c = b[index]
            counts[Int(c & 0x7F)] &+= 1
            if isLower(c) {
                classes |= 1
            } else if isUpper(c) {
                classes |= 2
            } else if isDigit(c) {
                classes |= 4
            }
        }
        guard classes.nonzeroBitCount >= 2 else { return false }
        let total = Double(end - start)
        var entropy = 0.0
        for index in 0..<128 where counts[index] > 0 {
            let p = Double(counts[index]) / total
            entropy -= p * log2(p)
        }
        return entropy >= 3.0
    }

    /// `assignmentOnly`: accept only `:`/`=` forms ("pass: x", not "your pass is valid").
    mutating func detectStatedPassword(_ wordEnd: Int, pin: Bool, keyword: Int, strongOnly: Bool) -> Int? {
        var strongOnly = strongOnly
        var cursor = wordEnd
        if at(cursor) == 0x22 || at(cursor) == 0x27 { cursor += 1 }  // "password": "…"
        var words = 0
        var assignment = false
        while true {
            while at(cursor) == 0x20 || at(cursor) == 0x09 { cursor += 1 }
            let c = at(cursor)
            if c == 0x3A || c == 0x3D {
                cursor += 1
                assignment = true
                break
            }
            // A value right after the keyword ("password Tiger$Lily9", "PIN 4921") must look
            // like one: "password reset" and "pin on the map" are not.
            if words == 0 && !isSpace(c) && c != 0 {
                let end = passwordValueEnd(cursor, assignment: false)
                if pin ? (4...8).contains(end - cursor) && isDigitRun(cursor, end) : looksLikePassword(cursor, end) {
                    strongOnly = true
                    break
                }
            }
            guard isAlpha(c) else { return nil }
            let start = cursor
            cursor = runEnd(cursor, .alpha)
            let word = (start..<cursor).map { lower(b[$0]) }
            if PIIScanner.linkingWords.contains(word) {
                if word == Array("to".utf8) || word == Array("be".utf8) { strongOnly = true }
                if at(cursor) == 0x3A { cursor += 1 }
                guard at(cursor) == 0x20 else { return nil }
                break
            }
            words += 1
            guard words <= 3, at(cursor) == 0x20 else { return nil }
        }
        while at(cursor) == 0x20 || at(cursor) == 0x09 { cursor += 1 }
        // Quotes around the value are not part of it; a quoted value may hold spaces.
        let quote = at(cursor)
        while at(cursor) == 0x22 || at(cursor) == 0x27 || at(cursor) == 0x60 { cursor += 1 }
        let start = cursor
        // The prefix from keyword to value is capped so a stream's hold-back window always
        // holds keyword and value together (see ``PIIScanner/maxKeywordPrefix``).
        guard start < n, start - wordEnd <= PIIScanner.maxKeywordPrefix, b[start] != 0x5B, b[start] != 0x3C
        else { return nil }
        var end = passwordValueEnd(start, assignment: assignment)
        if quote == 0x22 || quote == 0x27 {
            var close = start
            while close < n && close - start <= PIIScanner.maxQuotedPassword && b[close] != quote && b[close] != 0x0A {
                close += 1
            }
            if at(close) == quote && close > start { end = close }
        }
        let length = end - start
        if pin {
            guard (4...8).contains(length), isDigitRun(start, end) else { return nil }
            return record(start, end, .password, anchor: keyword)
        }
        // No upper bound: a limit would make a second pass (over a shorter, scrubbed value)
        // decide differently from the first.
        guard length >= 3 else { return nil }
        if strongOnly && !looksLikePassword(start, end) { return nil }
        let value = (start..<end).map { lower(b[$0]) }
        guard !PIIScanner.passwordStopwords.contains(value) else { return nil }
        return record(start, end, .password, anchor: keyword)
    }

    /// Longest quoted password value (which may contain spaces). With
    /// ``maxKeywordPrefix`` it stays under the stream hold-back window.
    static let maxQuotedPassword = 48

    /// A cheap pre-check for ``detectSpacedSecret(_:_:)`` that allocates nothing: the word is
    /// one of ``secretContextWords`` or an identifier with `_` (`api_token`), or long enough to
    /// contain a secret-naming part. Most words of chat fail on their length or first letter.
    func mayNameSecret(_ i: Int, _ wordEnd: Int) -> Bool {
        let length = wordEnd - i
        switch lower(b[i]) {
        case 0x6B: return length <= 4 && matchesLower(i, "key")  // key, keys
        case 0x74: return (5...6).contains(length) && matchesLower(i, "token")
        case 0x73: return (6...7).contains(length) && matchesLower(i, "secret") || length == 7 && matchesLower(i, "signing")
        case 0x61: return length == 3 && matchesLower(i, "api") || length == 4 && matchesLower(i, "auth") || length >= 6
        case 0x62: return length == 6 && matchesLower(i, "bearer")
        case 0x63: return length >= 10 && matchesLower(i, "credential")
        case 0x70: return length == 7 && matchesLower(i, "passkey")
        default: break
        }
        if length < 6 { return false }
        for index in i..<wordEnd where b[index] == 0x5F { return true }
        return false
    }

    /// A secret named by a word and separated from it by spaces, an optional linking word and
    /// up to two more words ("the api key is …", "access token …", "aws secret …"): the word
    /// must be in ``secretContextWords`` or name a secret, and the value passes
    /// ``detectContextSecret(_:)``'s rules or is a vendor key.
    mutating func detectSpacedSecret(_ i: Int, _ wordEnd: Int) -> Int? {
        let word = (i..<wordEnd).map { lower(b[$0]) }
        guard PIIScanner.secretContextWords.contains(word) || PIIScanner.namesSecret(word) else { return nil }
        var cursor = wordEnd
        var words = 0
        while words < 3 {
            while at(cursor) == 0x20 || at(cursor) == 0x09 { cursor += 1 }
            if at(cursor) == 0x3A || at(cursor) == 0x3D {
                cursor += 1
                while at(cursor) == 0x20 { cursor += 1 }
                break
            }
            guard isAlpha(at(cursor)) else { break }
            let end = runEnd(cursor, .alpha)
            guard at(end) == 0x20 || at(end) == 0x3A else { break }
            let next = (cursor..<end).map { lower(b[$0]) }
            guard PIIScanner.linkingWords.contains(next) || PIIScanner.secretContextWords.contains(next)
                || next.count <= 3
            else { break }
            cursor = end
            if at(cursor) == 0x3A { cursor += 1 }
            words += 1
        }
        while at(cursor) == 0x20 || at(cursor) == 0x22 || at(cursor) == 0x27 { cursor += 1 }
        guard cursor < n, cursor > wordEnd, cursor - wordEnd <= PIIScanner.maxKeywordPrefix, isBase64URL(b[cursor])
            || b[cursor] == 0x2B || b[cursor] == 0x2F
        else { return nil }
        if isAlpha(b[cursor]), let (end, type) = prefixedKeyEnd(cursor) {
            return record(cursor, end, type, anchor: i)
        }
        let before = matches.count
        guard detectContextSecret(cursor) != nil else { return nil }
        matches[before].anchor = i
        return matches[before].end
    }
}
