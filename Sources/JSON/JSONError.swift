/// Why JSON text was refused, and the byte offset (from 0) where the problem was found.
///
/// Offsets count bytes of the UTF-8 input, so a client can point at the exact spot even in
/// non-ASCII text. For limits, the offset is where the limit was crossed.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Reason: Sendable, Hashable {
        /// The input ended inside a value (or was empty).
        case unexpectedEnd
        /// A byte that cannot start or continue what was expected here.
        case unexpectedByte(UInt8)
        /// A `,` directly before `]` or `}` (RFC 8259 §4, §5 allow none).
        case trailingComma
        /// Something other than whitespace after the top-level value.
        case trailingContent
        /// A number with a leading zero (`01`, `-00`); RFC 8259 §6 forbids them.
        case leadingZero
        /// A number missing its digits after `-`, `.`, or the exponent marker.
        case missingDigits
        /// A number too large for a double (`1e400`); JSON has no infinity.
        case numberOutOfRange
        /// A backslash followed by something RFC 8259 §7 does not define.
        case invalidEscape(UInt8)
        /// `\u` not followed by four hex digits.
        case invalidUnicodeEscape
        /// A `\u` escape of a UTF-16 surrogate without its partner (RFC 8259 §8.2).
        case loneSurrogate(UInt16)
        /// An unescaped control character (U+0000 to U+001F) inside a string (RFC 8259 §7).
        case controlCharacterInString(UInt8)
        /// Bytes that are not well-formed UTF-8 (RFC 8259 §8.1).
        case invalidUTF8
        /// An object repeats a key. RFC 8259 §4 leaves the meaning open; Persona refuses them so
        /// two components can never read different values from the same text.
        case duplicateKey(String)
        /// Nesting deeper than ``JSONParser/Configuration/maxDepth``.
        case depthLimitExceeded(Int)
        /// Input longer than ``JSONParser/Configuration/maxInputBytes``.
        case inputTooLarge(Int)
        /// A string longer than ``JSONParser/Configuration/maxStringBytes`` once decoded.
        case stringTooLong(Int)
    }

    /// What went wrong.
    public var reason: Reason
    /// The byte offset where it was found.
    public var offset: Int

    /// Creates an error.
    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// `<message> at byte <offset>`.
    public var description: String { "\(message) at byte \(offset)" }

    /// The problem in one phrase, without the offset.
    public var message: String {
        switch reason {
        case .unexpectedEnd: return "unexpected end of input"
        case .unexpectedByte(let byte): return "unexpected \(Self.describe(byte))"
        case .trailingComma: return "trailing comma"
        case .trailingContent: return "unexpected content after the JSON value"
        case .leadingZero: return "number with a leading zero"
        case .missingDigits: return "number is missing digits"
        case .numberOutOfRange: return "number is too large"
        case .invalidEscape(let byte): return "invalid escape sequence '\\\(Self.printable(byte))'"
        case .invalidUnicodeEscape: return "\\u escape needs four hex digits"
        case .loneSurrogate(let unit):
            return "unpaired UTF-16 surrogate \\u\(String(unit, radix: 16, uppercase: true))"
        case .controlCharacterInString(let byte):
            return "unescaped control character U+\(Self.hex4(byte)) in string"
        case .invalidUTF8: return "invalid UTF-8"
        case .duplicateKey(let key): return "duplicate key \"\(key)\""
        case .depthLimitExceeded(let limit): return "nesting deeper than \(limit) levels"
        case .inputTooLarge(let limit): return "input larger than \(limit) bytes"
        case .stringTooLong(let limit): return "string longer than \(limit) bytes"
        }
    }

    private static func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? "character '\(printable(byte))'" : "byte 0x\(hex2(byte))"
    }

    private static func printable(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "0x\(hex2(byte))"
    }

    private static func hex2(_ byte: UInt8) -> String {
        let text = String(byte, radix: 16, uppercase: true)
        return text.count == 1 ? "0" + text : text
    }

    private static func hex4(_ byte: UInt8) -> String { "00" + hex2(byte) }
}
