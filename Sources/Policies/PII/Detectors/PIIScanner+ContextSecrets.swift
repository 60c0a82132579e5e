extension PIIScanner {
    /// Words that, among the few before a random-looking value, say it is a secret
    /// ("the api key is …", "secret …", "access token: …").
    static let secretContextWords: Set<[UInt8]> = Set(
        [
            "key", "keys", "token", "tokens", "secret", "secrets", "apikey", "api", "auth", "bearer", "credential",
            "credentials", "passkey", "apitoken", "accesstoken", "signing",
        ].map { Array($0.utf8) })
    /// Words right before a value that say it is an identifier or digest, not a secret
    /// ("api request id …", "key fingerprint …").
    static let identifierWords: Set<[UInt8]> = Set(
        [
            "id", "ids", "uuid", "guid", "sid", "hash", "sha", "md", "checksum", "commit", "fingerprint", "digest",
            "rev", "revision", "trace", "request", "etag", "nonce", "salt", "iv", "account",
        ].map { Array($0.utf8) })

    /// A vendor key from ``VendorKeyFormat/all`` starting at `i`.
    mutating func vendorKeyEnd(_ i: Int) -> Int? {
        let c = b[i]
        guard c < 0x80 else { return nil }
        for format in VendorKeyFormat.byFirstByte[Int(c)] {
            let count = format.prefix.count
            guard i + count <= n else { continue }
            var matched = true
            for k in 1..<count where b[i + k] != format.prefix[k] {
                matched = false
                break
            }
            guard matched else { continue }
            var end = runEnd(i + count, format.body)
            if format.dashDigitSuffix && at(end) == 0x2D && isDigit(at(end + 1)) && !isWordByte(at(end + 2))
                && format.lengths.contains(end - i - count)
            {
                return end + 2
            }
            if format.body == .secretValue {
                while end > i + count && (b[end - 1] == 0x2E || b[end - 1] == 0x2D) { end -= 1 }
            }
            if format.lengths.contains(end - i - count) && tokenBoundaryAfter(end) && at(end) != 0x2E
                || format.lengths.contains(end - i - count) && at(end) == 0x2E && !isAlnum(at(end + 1))
            {
                return end
            }
        }
        return nil
    }

    /// Keys that start with digits or hex: a Telegram bot token (`<8–10 digits>:A<34>`) and a
    /// Mailchimp key (`<32 hex>-us<1–2 digits>`).
    mutating func detectDigitLedKey(_ i: Int, _ wordEnd: Int) -> Int? {
        let length = wordEnd - i
        if (8...10).contains(length) && at(wordEnd) == 0x3A && at(wordEnd + 1) == 0x41 && isDigitRun(i, wordEnd) {
            let end = runEnd(wordEnd + 1, .base64URL)
            if end - wordEnd - 1 == 35 && tokenBoundaryAfter(end) { return record(i, end, .apiKey) }
        }
        if length == 32 && at(wordEnd) == 0x2D && matchesExact(wordEnd + 1, "us") && isHexRun(i, wordEnd)
            && isDigit(at(wordEnd + 3))
        {
            var end = wordEnd + 4
            if isDigit(at(end)) { end += 1 }
            if !isWordByte(at(end)) { return record(i, end, .apiKey) }
        }
        return nil
    }

    /// A random-looking value without a vendor prefix that context marks as a secret:
    /// - a word like "key", "token", "secret", "api", "auth" among the five words before it
    ///   (and not an identifier word such as "id", "hash" or "commit" right before it), with
    ///   a value of 16–256 characters of the base64/hex/url-safe alphabets, two or more of
    ///   lower/upper/digit and at least 3.0 bits of entropy per character;
    /// - or a 40-character base64 value (the shape of an AWS secret access key) within 160
    ///   bytes after an AWS access key id (`AKIA…`/`ASIA…`).
    mutating func detectContextSecret(_ i: Int) -> Int? {
        // Not after another token character, and never a label or placeholder ("<SECRET_1>").
        guard i == 0 || !(isBase64URL(b[i - 1]) || b[i - 1] == 0x3C || b[i - 1] == 0x5B) else { return nil }
        let rawEnd = runEnd(i, .secretValue)
        var end = rawEnd
        while end > i && (b[end - 1] == 0x2E || b[end - 1] == 0x2D || b[end - 1] == 0x3D) { end -= 1 }
        while end < rawEnd && b[end] == 0x3D && end - i < 256 { end += 1 }  // base64 padding
        let length = end - i
        guard length >= 16, length <= 256, !isWordByte(at(rawEnd)) else { return nil }
        // "NAME=value" is an assignment, not a value: "=" only as trailing base64 padding.
        if let equals = (i..<end).first(where: { b[$0] == 0x3D }), (equals..<end).contains(where: { b[$0] != 0x3D }) {
            return nil
        }
        var digits = false
        var letters = false
        for index in i..<end {
            if isDigit(b[index]) { digits = true } else if isAlpha(b[index]) { letters = true }
            if digits && letters { break }
        }
        guard letters && (digits || length >= 40) else { return nil }
        guard isHighEntropy(i, end) else { return nil }
        let words = wordsBefore(i, window: 48)
        if let nearest = words.first, PIIScanner.identifierWords.contains(nearest) { return nil }
        if words.prefix(5).contains(where: {
            PIIScanner.secretContextWords.contains($0) || PIIScanner.containsPart($0, PIIScanner.secretNameParts)
        }) {
            return record(i, end, .secret)
        }
        if length == 40 && runEnd(i, .base64) >= end && awsKeyIDBefore(i) { return record(i, end, .secret) }
        return nil
    }

    /// Whether an AWS access key id (`AKIA`/`ASIA` + 16 of `[A-Z0-9]`) ends within 160 bytes
    /// before `index`.
    func awsKeyIDBefore(_ index: Int) -> Bool {
        var cursor = max(0, index - 160)
        while cursor + 20 <= index {
            if b[cursor] == 0x41, (b[cursor + 1] == 0x4B || b[cursor + 1] == 0x53), b[cursor + 2] == 0x49,
                b[cursor + 3] == 0x41, cursor == 0 || !isAlnum(b[cursor - 1])
            {
                var ok = true
                for k in 4..<20 where !(isUpper(b[cursor + k]) || isDigit(b[cursor + k])) {
                    ok = false
                    break
                }
                if ok && !isAlnum(at(cursor + 20)) { return true }
            }
            cursor += 1
        }
        return false
    }

    /// Words that introduce a "name / password" pair ("login: anna / Pa55word!").
    static let credentialPairWords: Set<[UInt8]> = Set(
        [
            "login", "logins", "creds", "credentials", "credential", "user", "username", "account", "wifi", "wlan",
            "ssid", "ftp", "sftp", "ssh", "vpn", "rdp", "nas", "router",
        ].map { Array($0.utf8) })

    /// `name / password` after a login-like word within 48 bytes, at the ` / ` at `slash`: the
    /// value is the token after the slash and must look like a password
    /// (``looksLikePassword(_:_:)``).
    mutating func detectCredentialPair(_ slash: Int) -> Int? {
        guard slash >= 2, !isSpace(b[slash - 2]) else { return nil }
        let start = slash + 2
        guard start < n, !isSpace(b[start]) else { return nil }
        let end = passwordValueEnd(start, assignment: false)
        guard end > start, looksLikePassword(start, end) else { return nil }
        let words = wordsBefore(slash, window: 48)
        guard words.prefix(4).contains(where: { PIIScanner.credentialPairWords.contains($0) }) else { return nil }
        return record(start, end, .password, anchor: slash)
    }

    /// Whether `b[start..<end]` looks like a password rather than a word: 6–64 characters
    /// with letters and digits, or with a symbol, or with an upper-case letter after the
    /// first; a run of digits only counts from 6 digits (a PIN has its own rule).
    func looksLikePassword(_ start: Int, _ end: Int) -> Bool {
        let length = end - start
        guard (6...64).contains(length) else { return false }
        if matchesLower(start, "http") { return false }
        var digits = false
        var letters = false
        var symbols = false
        var innerUpper = false
        for index in start..<end {
            let c = b[index]
            if isDigit(c) {
                digits = true
            } else if isAlpha(c) {
                letters = true
                if index > start && isUpper(c) { innerUpper = true }
            } else if c >= 0x80 {
                letters = true
            } else {
                symbols = true
            }
        }
        if !letters { return digits && !symbols }
        return digits || symbols || innerUpper
    }

    /// Where a password value starting at `start` ends: the whitespace-free token minus
    /// trailing sentence punctuation; in a `key=value` form also at a `;` or `&` that starts
    /// another `name=` (connection strings, query strings).
    func passwordValueEnd(_ start: Int, assignment: Bool) -> Int {
        var end = start
        while end < n && !isSpace(b[end]) {
            let c = b[end]
            if assignment && (c == 0x3B || c == 0x26) && startsAssignment(end + 1) { break }
            end += 1
        }
        while end > start {
            let c = b[end - 1]
            if c == 0x2E || c == 0x2C || c == 0x3B || c == 0x3F || c == 0x29 || c == 0x22 || c == 0x27
                || c == 0x60 || c == 0x7D || c == 0x5D
            {
                end -= 1
            } else {
                break
            }
        }
        return end
    }

    /// Whether `name=` (an identifier, possibly with spaces, then `=`) starts at `index`.
    func startsAssignment(_ index: Int) -> Bool {
        var cursor = index
        while cursor < n && cursor - index < 40 && (isWordByte(b[cursor]) || b[cursor] == 0x20 || b[cursor] == 0x2E) {
            cursor += 1
        }
        return cursor > index && at(cursor) == 0x3D
    }
}
