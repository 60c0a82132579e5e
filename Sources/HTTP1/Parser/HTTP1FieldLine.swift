/// Parsing of one `field-line` (RFC 9112 §5), shared by the request parser, trailers and the
/// client-side response head parser.
package enum HTTP1FieldLine {
    /// Parses `field-name ":" OWS field-value OWS` (line terminator already removed).
    package static func parse(_ line: ArraySlice<UInt8>) -> Result<HTTPField, HTTP1ParseError> {
        guard let first = line.first else { return .failure(.invalidHeaderName) }
        // RFC 9112 §5.2: obs-fold (a line starting with SP/HTAB) is refused, as is whitespace
        // between the start line and the first field (§2.2).
        if HTTPSyntax.isWhitespace(first) { return .failure(.obsoleteLineFolding) }
        if line.contains(0x0D) { return .failure(.bareCR) }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return .failure(.invalidHeaderName) }
        let name = line[line.startIndex..<colon]
        guard let last = name.last else { return .failure(.invalidHeaderName) }
        // RFC 9112 §5.1: whitespace before the colon MUST be rejected with 400.
        if HTTPSyntax.isWhitespace(last) { return .failure(.whitespaceBeforeColon) }
        guard name.allSatisfy(HTTPSyntax.isTokenCharacter) else { return .failure(.invalidHeaderName) }
        var start = colon + 1
        var end = line.endIndex
        while start < end, HTTPSyntax.isWhitespace(line[start]) { start += 1 }
        while end > start, HTTPSyntax.isWhitespace(line[end - 1]) { end -= 1 }
        let value = line[start..<end]
        guard value.allSatisfy(HTTPSyntax.isFieldValueByte) else { return .failure(.invalidHeaderValue) }
        // obs-text bytes (0x80–0xFF) are allowed on the wire; they are decoded as UTF-8 with
        // replacement, which is what every modern client sends anyway.
        return .success(
            HTTPField(
                name: String(decoding: name, as: UTF8.self),
                value: String(decoding: value, as: UTF8.self)))
    }
}
