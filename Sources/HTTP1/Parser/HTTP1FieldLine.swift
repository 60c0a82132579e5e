/// Parsing of one `field-line` (RFC 9112 §5), shared by the request parser, trailers and the
/// client-side response head parser.
package enum HTTP1FieldLine {
    /// Parses `field-name ":" OWS field-value OWS` (line terminator already removed).
    package static func parse(_ line: ArraySlice<UInt8>) -> Result<HTTPField, HTTP1ParseError> {
        line.withUnsafeBufferPointer { parse(bytes: $0) }
    }

    /// Two passes over the line: one finds a CR (refused first, wherever it is) and the colon;
    /// one checks the name and the value.
    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Result<HTTPField, HTTP1ParseError> {
        let count = bytes.count
        guard count > 0 else { return .failure(.invalidHeaderName) }
        // RFC 9112 §5.2: obs-fold (a line starting with SP/HTAB) is refused, as is whitespace
        // between the start line and the first field (§2.2).
        if HTTPSyntax.isWhitespace(bytes[0]) { return .failure(.obsoleteLineFolding) }
        var colon = -1
        for index in 0..<count {
            let byte = bytes[index]
            if byte == 0x0D { return .failure(.bareCR) }
            if colon < 0 && byte == UInt8(ascii: ":") { colon = index }
        }
        guard colon > 0 else { return .failure(.invalidHeaderName) }
        // RFC 9112 §5.1: whitespace before the colon MUST be rejected with 400.
        if HTTPSyntax.isWhitespace(bytes[colon - 1]) { return .failure(.whitespaceBeforeColon) }
        for index in 0..<colon where !HTTPSyntax.isTokenCharacter(bytes[index]) {
            return .failure(.invalidHeaderName)
        }
        var start = colon + 1
        var end = count
        while start < end, HTTPSyntax.isWhitespace(bytes[start]) { start += 1 }
        while end > start, HTTPSyntax.isWhitespace(bytes[end - 1]) { end -= 1 }
        for index in start..<end where !HTTPSyntax.isFieldValueByte(bytes[index]) {
            return .failure(.invalidHeaderValue)
        }
        // obs-text bytes (0x80–0xFF) are allowed on the wire; they are decoded as UTF-8 with
        // replacement, which is what every modern client sends anyway.
        return .success(
            HTTPField(
                name: String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<colon]), as: UTF8.self),
                value: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)))
    }
}
