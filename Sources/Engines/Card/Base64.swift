/// Base64 decoding (RFC 4648 §4, the standard alphabet), as character cards embed their JSON in
/// PNG text chunks. Whitespace is skipped; padding is optional; anything else fails with the
/// index of the first bad character.
package enum Base64 {
    /// The decoded bytes, or the index of the first character that is not base64.
    package static func decode(_ text: [UInt8]) -> Result<[UInt8], BadCharacter> {
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        var padding = false
        for (index, byte) in text.enumerated() {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="):
                padding = true
                continue
            case 0x20, 0x09, 0x0A, 0x0D: continue
            default: return .failure(BadCharacter(index: index))
            }
            if padding { return .failure(BadCharacter(index: index)) }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // A lone sixth of a byte (one character past a group) carries no byte: malformed.
        if bits >= 6 { return .failure(BadCharacter(index: text.count)) }
        return .success(out)
    }

    /// Where decoding stopped: the index of the first character that is not base64.
    package struct BadCharacter: Error {
        package let index: Int
    }

    /// The standard encoding with padding (for tests and the sample cards).
    package static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = chunk.enumerated().reduce(UInt32(0)) {
                $0 | UInt32($1.element) << UInt32(16 - 8 * $1.offset)
            }
            for position in 0..<4 {
                out.append(
                    position <= chunk.count
                        ? alphabet[Int(value >> UInt32(18 - 6 * position) & 63)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
