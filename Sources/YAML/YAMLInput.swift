internal import Diagnostics

/// The document's bytes after the checks libyaml must never be trusted with, plus the mapping
/// from byte offsets to author-facing locations.
///
/// libyaml guesses the encoding from a byte order mark and would happily decode UTF-16, and its
/// reader reports bad bytes only as raw offsets. Checking here first means every encoding
/// problem is refused the same way, with a line and column, before any C code runs.
struct YAMLInput {
    /// The text handed to libyaml: the input without a leading UTF-8 byte order mark.
    let text: ArraySlice<UInt8>
    /// The file name used in every location.
    let file: String
    /// The position just after the last character, where end-of-input problems are reported.
    private(set) var end: SourceLocation

    /// Checks `bytes` and strips a UTF-8 byte order mark.
    ///
    /// Refused: UTF-16 and UTF-32 byte order marks, invalid UTF-8 (overlong forms, surrogates,
    /// truncated sequences, values above U+10FFFF), NUL, and every character outside YAML's
    /// printable set (YAML 1.2 §5.1: tab, line feed, carriage return, NEL, U+0020–U+007E,
    /// U+00A0–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF). NUL gets its own message because it
    /// nearly always means a UTF-16 or binary file.
    init(_ bytes: [UInt8], file: String) throws(YAMLError) {
        self.file = file
        if Self.startsWithUTF32BOM(bytes) {
            throw YAMLError(
                .invalidEncoding, at: SourceLocation(file: file, line: 1, column: 1),
                "the file is UTF-32 encoded (it starts with a UTF-32 byte order mark); save it as UTF-8")
        }
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) {
            throw YAMLError(
                .invalidEncoding, at: SourceLocation(file: file, line: 1, column: 1),
                "the file is UTF-16 encoded (it starts with a UTF-16 byte order mark); save it as UTF-8")
        }
        text = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes[3...] : bytes[...]
        end = SourceLocation(file: file, line: 1, column: 1)
        try validate()
        end = location(ofByteOffset: text.count)
    }

    private static func startsWithUTF32BOM(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00])
    }

    /// Walks the text once, decoding UTF-8 strictly (RFC 3629 §4: shortest form only, no
    /// surrogates, nothing above U+10FFFF).
    private func validate() throws(YAMLError) {
        var index = text.startIndex
        let end = text.endIndex
        while index < end {
            let lead = text[index]
            if lead < 0x80 {
                if lead == 0 {
                    throw YAMLError(
                        .invalidEncoding, at: location(ofByteOffset: index - text.startIndex),
                        "the file contains a NUL byte; is it UTF-16 or binary? Save it as UTF-8 text")
                }
                if lead < 0x20 && lead != 0x09 && lead != 0x0A && lead != 0x0D || lead == 0x7F {
                    throw controlCharacter(Unicode.Scalar(lead), at: index)
                }
                index += 1
                continue
            }
            let length: Int
            let minimum: UInt32
            var value: UInt32
            switch lead {
            case 0xC2...0xDF: (length, minimum, value) = (2, 0x80, UInt32(lead & 0x1F))
            case 0xE0...0xEF: (length, minimum, value) = (3, 0x800, UInt32(lead & 0x0F))
            case 0xF0...0xF4: (length, minimum, value) = (4, 0x10000, UInt32(lead & 0x07))
            default: throw invalidByte(at: index)
            }
            guard end - index >= length else { throw invalidByte(at: index) }
            for offset in 1..<length {
                let byte = text[index + offset]
                guard byte & 0xC0 == 0x80 else { throw invalidByte(at: index) }
                value = value << 6 | UInt32(byte & 0x3F)
            }
            guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else {
                throw invalidByte(at: index)
            }
            // Outside YAML's printable set (§5.1): C1 controls other than NEL, and the two
            // non-characters U+FFFE and U+FFFF.
            if (0x80...0x9F).contains(value) && value != 0x85 || value == 0xFFFE || value == 0xFFFF {
                throw controlCharacter(Unicode.Scalar(value)!, at: index)
            }
            index += length
        }
    }

    private func invalidByte(at index: Int) -> YAMLError {
        let byte = text[index]
        let hex = String(byte, radix: 16, uppercase: true)
        return YAMLError(
            .invalidEncoding, at: location(ofByteOffset: index - text.startIndex),
            "invalid UTF-8 (byte 0x\(hex.count == 1 ? "0" : "")\(hex)); save the file as UTF-8")
    }

    private func controlCharacter(_ scalar: Unicode.Scalar, at index: Int) -> YAMLError {
        var hex = String(scalar.value, radix: 16, uppercase: true)
        while hex.count < 4 { hex = "0" + hex }
        return YAMLError(
            .invalidEncoding, at: location(ofByteOffset: index - text.startIndex),
            "control character U+\(hex) is not allowed in YAML; remove it or write it as an escape in a double-quoted string"
        )
    }

    /// The location of a byte offset into ``text``, counting lines the way libyaml does (line
    /// feed, carriage return, CR LF, NEL, U+2028 and U+2029 each end a line) and columns in
    /// Unicode scalars. Invalid bytes count as one column each, so the offset of a bad byte is
    /// still located sensibly.
    func location(ofByteOffset offset: Int) -> SourceLocation {
        var line = 1
        var column = 1
        var index = text.startIndex
        let target = text.startIndex + min(max(offset, 0), text.count)
        while index < target {
            let byte = text[index]
            switch byte {
            case 0x0A:
                line += 1
                column = 1
                index += 1
            case 0x0D:
                if index + 1 < text.endIndex, text[index + 1] == 0x0A, index + 1 < target {
                    index += 2
                } else {
                    index += 1
                }
                line += 1
                column = 1
            case 0xC2 where index + 1 < text.endIndex && text[index + 1] == 0x85:
                line += 1
                column = 1
                index += 2
            case 0xE2
            where index + 2 < text.endIndex && text[index + 1] == 0x80
                && (text[index + 2] == 0xA8 || text[index + 2] == 0xA9):
                line += 1
                column = 1
                index += 3
            default:
                column += 1
                index += 1
                // Skip continuation bytes so a multi-byte scalar counts as one column.
                while index < target, text[index] & 0xC0 == 0x80, byte >= 0xC0 { index += 1 }
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }
}
