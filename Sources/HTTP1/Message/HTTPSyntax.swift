/// Character classes from RFC 9110 §5.6 and RFC 9112 §2, shared by the parsers and encoders.
package enum HTTPSyntax {
    /// `tchar` (RFC 9110 §5.6.2): the characters allowed in a token such as a method or field name.
    @inline(__always)
    package static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"),
            UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
            UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// A byte allowed inside a field value (RFC 9110 §5.5): VCHAR, SP, HTAB or obs-text.
    /// Everything else is a CTL (NUL, CR, LF, DEL, ...) and is refused, never replaced.
    @inline(__always)
    package static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
    }

    /// SP or HTAB (the `OWS`/`BWS` characters).
    @inline(__always)
    package static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }

    /// ASCII lowercase of one byte; other bytes unchanged.
    @inline(__always)
    package static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }

    /// The value of one hexadecimal digit, or nil.
    @inline(__always)
    package static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The comma-separated elements of several field values (RFC 9110 §5.6.1), trimmed, empty
    /// elements dropped.
    package static func listElements(_ values: [String]) -> [String] {
        var result: [String] = []
        for value in values {
            for element in value.split(separator: ",", omittingEmptySubsequences: true) {
                let trimmed = HTTPHeaders.trimmingWhitespace(element)
                if !trimmed.isEmpty { result.append(trimmed) }
            }
        }
        return result
    }

    /// Whether any of `values`, read as comma-separated lists, holds `token` (ASCII
    /// case-insensitive). Scans the bytes without allocating — it runs for every request.
    package static func list(_ values: [String], containsToken token: String) -> Bool {
        values.contains { listValue($0, containsToken: token) }
    }

    /// One comma-separated list value; see `list(_:containsToken:)`.
    package static func listValue(_ value: String, containsToken token: String) -> Bool {
        var value = value
        var token = token
        return value.withUTF8 { bytes in
            token.withUTF8 { wanted in
                var index = 0
                let count = bytes.count
                while index < count {
                    var start = index
                    while index < count && bytes[index] != UInt8(ascii: ",") { index += 1 }
                    var end = index
                    while start < end && isWhitespace(bytes[start]) { start += 1 }
                    while end > start && isWhitespace(bytes[end - 1]) { end -= 1 }
                    if end - start == wanted.count {
                        var equal = true
                        for offset in 0..<wanted.count
                        where lowercased(bytes[start + offset]) != lowercased(wanted[offset]) {
                            equal = false
                            break
                        }
                        if equal { return true }
                    }
                    index += 1
                }
                return false
            }
        }
    }
}
