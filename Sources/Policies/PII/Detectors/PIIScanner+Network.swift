extension PIIScanner {
    /// A MAC address: six groups of two hex digits joined by one separator kind (`:` or `-`),
    /// as IEEE 802 writes them. All-zero is not reported (a placeholder, not a device).
    mutating func detectMAC(_ start: Int) -> Int? {
        guard start + 17 <= n else { return nil }
        let separator = b[start + 2]
        guard separator == 0x3A || separator == 0x2D else { return nil }
        var allZero = true
        for group in 0..<6 {
            let offset = start + group * 3
            guard isHex(b[offset]), isHex(b[offset + 1]) else { return nil }
            if b[offset] != 0x30 || b[offset + 1] != 0x30 { allZero = false }
            if group < 5 && b[offset + 2] != separator { return nil }
        }
        let end = start + 17
        let next = at(end)
        guard !isWordByte(next), !((next == separator || next == 0x2E) && isHex(at(end + 1))) else {
            return nil
        }
        return allZero ? nil : record(start, end, .macAddress)
    }

    /// A MAC address in the dotted form of three groups of four hex digits (`0050.56b3.9c2d`,
    /// as Cisco IOS prints them). All-zero is not reported.
    mutating func detectDottedMAC(_ start: Int) -> Int? {
        guard start + 14 <= n else { return nil }
        var allZero = true
        for group in 0..<3 {
            let offset = start + group * 5
            for k in 0..<4 {
                guard isHex(b[offset + k]) else { return nil }
                if b[offset + k] != 0x30 { allZero = false }
            }
            if group < 2 && b[offset + 4] != 0x2E { return nil }
        }
        let end = start + 14
        let next = at(end)
        guard !isWordByte(next), !((next == 0x2E || next == 0x3A || next == 0x2D) && isAlnum(at(end + 1))) else {
            return nil
        }
        // Mixed case is not how any device prints it; a version like "2021.0412.1000" is not hex-led.
        var upper = false
        var lowerCase = false
        for index in start..<end {
            if isUpper(b[index]) { upper = true }
            if isLower(b[index]) { lowerCase = true }
        }
        if upper && lowerCase { return nil }
        if let previous = wordsBefore(start, window: 16).first, PIIScanner.versionWords.contains(previous) {
            return nil
        }
        return allZero ? nil : record(start, end, .macAddress)
    }

    /// An IPv6 address (RFC 4291 §2.2 text forms: eight groups, one `::` compression, an
    /// optional dotted-quad tail). Loopback `::1` and unspecified `::` are not reported, and
    /// neither are strings that merely contain colons (times, ratios).
    mutating func detectIPv6(_ start: Int) -> Int? {
        var cursor = start
        var groups = 0
        var compressed = false
        var end = start
        var values = InlineArray<8, UInt16>(repeating: 0)
        var compressionIndex = -1
        if b[cursor] == 0x3A {
            guard at(cursor + 1) == 0x3A else { return nil }
            compressed = true
            compressionIndex = 0
            cursor += 2
            end = cursor
        }
        while cursor < n && groups < 8 {
            let groupStart = cursor
            var value: UInt32 = 0
            while cursor < n && isHex(b[cursor]) && cursor - groupStart <= 4 {
                let c = b[cursor]
                value = value << 4 | UInt32(isDigit(c) ? c - 0x30 : (c | 0x20) - 0x61 + 10)
                cursor += 1
            }
            let length = cursor - groupStart
            if length == 0 || length > 4 { if length > 4 { return nil }; break }
            if at(cursor) == 0x2E {
                // Dotted-quad tail: counts as two groups.
                guard groups <= 6, isDigitRun(groupStart, cursor) else { return nil }
                var octetCursor = groupStart
                for index in 0..<4 {
                    let octetStart = octetCursor
                    var octet = 0
                    while octetCursor < n && isDigit(b[octetCursor]) && octetCursor - octetStart < 3 {
                        octet = octet * 10 + Int(b[octetCursor] - 0x30)
                        octetCursor += 1
                    }
                    guard octetCursor > octetStart, octet <= 255 else { return nil }
                    if index < 3 {
                        guard at(octetCursor) == 0x2E else { return nil }
                        octetCursor += 1
                    }
                }
                groups += 2
                values[min(7, groups - 1)] = 0xFFFF  // any non-zero marker: not loopback
                cursor = octetCursor
                end = cursor
                break
            }
            values[groups] = UInt16(value)
            groups += 1
            end = cursor
            if at(cursor) == 0x3A && at(cursor + 1) == 0x3A {
                guard !compressed else { return nil }
                compressed = true
                compressionIndex = groups
                cursor += 2
                end = cursor
                continue
            }
            if at(cursor) == 0x3A && isHex(at(cursor + 1)) {
                cursor += 1
                continue
            }
            break
        }
        guard compressed ? groups <= 7 : groups == 8 else { return nil }
        guard groups >= 2 || compressed else { return nil }
        let next = at(end)
        guard !isWordByte(next), next != 0x3A || !isHex(at(end + 1)) else { return nil }
        // Loopback (::1) and unspecified (::).
        var nonZero = 0
        for index in 0..<groups where values[index] != 0 { nonZero += 1 }
        if nonZero == 0 { return nil }
        if nonZero == 1 && values[groups - 1] == 1 && (!compressed || compressionIndex < groups) {
            return nil
        }
        // A bare "a::b"-style token with no more than two short groups is more often a C++
        // scope or emoticon than an address.
        if groups <= 2 && (end - start) < 7 { return nil }
        return record(start, end, .ipAddress)
    }

    static let secretParameters: [[UInt8]] = [
        "token", "access_token", "refresh_token", "id_token", "auth_token", "api_key", "apikey", "api-key",
        "key",
        "secret", "client_secret", "sig", "signature", "password", "passwd", "pwd", "pass", "auth", "session",
        "sessionid", "session_id", "x-amz-signature", "x-amz-credential", "x-amz-security-token", "jwt",
        "private_token", "access_key", "secret_key", "code_verifier", "client_secret", "apitoken", "api_token",
        "passphrase", "x-goog-signature", "x-goog-credential", "sv_sig", "skey", "authkey", "auth_key",
    ].map { Array($0.utf8) }

    /// A URL (any `scheme://`) that carries credentials: a `user:password@` userinfo
    /// (RFC 3986 §3.2.1) or a query/fragment parameter named like a secret with a non-empty
    /// value (`token=`, `access_token=`, `key=`, `sig=`, ...). The whole URL is the finding.
    /// Other URLs return nil and are scanned as ordinary text.
    ///
    /// A URL nested inside a URL already found clean ("https://x/?next=https://y/") reuses
    /// that URL's end and only checks its own userinfo: its query parameters are a subset of
    /// the outer one's. That keeps "a://a://a://…" linear.
    mutating func detectURL(_ schemeWordStart: Int, schemeEnd: Int) -> Int? {
        // RFC 3986 §3.1: a scheme is ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), so
        // "mongodb+srv://" starts at "mongodb".
        var start = schemeWordStart
        let floor = max(lastEnd, from)
        while start > floor, b[start - 1] == 0x2B || b[start - 1] == 0x2D || b[start - 1] == 0x2E,
            start - 1 > floor, isAlnum(b[start - 2])
        {
            var wordStart = start - 1
            while wordStart > floor && isAlnum(b[wordStart - 1]) { wordStart -= 1 }
            guard isAlpha(b[wordStart]) else { break }
            start = wordStart
        }
        let authorityStart = schemeEnd + 3
        let nested = start < cleanURLEnd
        var cursor = nested ? cleanURLEnd : authorityStart
        while cursor < n {
            let c = b[cursor]
            if isSpace(c) || c == 0x3C || c == 0x3E || c == 0x22 || c == 0x60 || c >= 0x80 { break }
            cursor += 1
        }
        var end = cursor
        while end > authorityStart {
            let c = b[end - 1]
            if c == 0x2E || c == 0x2C || c == 0x3B || c == 0x21 || c == 0x3F || c == 0x29 || c == 0x5D
                || c == 0x27 || c == 0x3A
            {
                end -= 1
            } else {
                break
            }
        }
        guard end > authorityStart else { return nil }
        var authorityEnd = authorityStart
        while authorityEnd < end, b[authorityEnd] != 0x2F, b[authorityEnd] != 0x3F, b[authorityEnd] != 0x23 {
            authorityEnd += 1
        }
        var credential = false
        if let at = (authorityStart..<authorityEnd).last(where: { b[$0] == 0x40 }) {
            if let colon = (authorityStart..<at).first(where: { b[$0] == 0x3A }), at - colon > 1 {
                credential = true
            } else if at - authorityStart >= 16, isHighEntropy(authorityStart, at) {
                // A key in the user position (a Sentry DSN, "https://<token>@github.com/…").
                credential = true
            }
        }
        if !credential && !nested {
            var parameterStart = -1
            var index = authorityEnd
            while index <= end {
                let c = index < end ? b[index] : 0x26
                if c == 0x3F || c == 0x23 || c == 0x26 || c == 0x3B {
                    if parameterStart >= 0, parameterNamesSecret(parameterStart, index) {
                        credential = true
                        break
                    }
                    parameterStart = c == 0x3F || c == 0x26 || c == 0x3B || c == 0x23 ? index + 1 : -1
                }
                index += 1
            }
        }
        if credential { return record(start, end, .credentialURL) }
        cleanURLEnd = max(cleanURLEnd, cursor)
        if reportURLs && !nested && authorityEnd > authorityStart { return record(start, end, .url) }
        return nil
    }

    /// Whether `name=value` in `b[start..<end]` has a secret-like name and a non-empty value.
    func parameterNamesSecret(_ start: Int, _ end: Int) -> Bool {
        guard let equals = (start..<end).first(where: { b[$0] == 0x3D }), end - equals > 1 else {
            return false
        }
        let name = (start..<equals).map { lower(b[$0]) }
        return PIIScanner.secretParameters.contains(name)
    }
}
