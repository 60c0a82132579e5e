/// Bitcoin base58check (the legacy address encoding: payload + first 4 bytes of
/// SHA-256(SHA-256(payload))), for P2PKH (`1…`, version 0x00) and P2SH (`3…`, version 0x05).
package enum Base58Check {
    private static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

    /// The value of a base58 character, or nil for characters outside the alphabet (0 O I l).
    package static func digit(_ char: UInt8) -> Int? {
        switch char {
        case 0x31...0x39: return Int(char - 0x31)
        case 0x41...0x48: return Int(char - 0x41) + 9
        case 0x4A...0x4E: return Int(char - 0x4A) + 17
        case 0x50...0x5A: return Int(char - 0x50) + 22
        case 0x61...0x6B: return Int(char - 0x61) + 33
        case 0x6D...0x7A: return Int(char - 0x6D) + 44
        default: return nil
        }
    }

    /// Decodes base58 text into bytes (leading `1`s become leading zero bytes).
    package static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        var bytes: [UInt8] = []  // little-endian big number
        for char in text {
            guard var carry = digit(char) else { return nil }
            for index in bytes.indices {
                carry += Int(bytes[index]) * 58
                bytes[index] = UInt8(carry & 0xFF)
                carry >>= 8
            }
            while carry > 0 {
                bytes.append(UInt8(carry & 0xFF))
                carry >>= 8
            }
        }
        let leadingZeros = text.prefix { $0 == 0x31 }.count
        return [UInt8](repeating: 0, count: leadingZeros) + bytes.reversed()
    }

    /// Encodes bytes as base58 text (used by tests to build addresses).
    package static func encode(_ bytes: [UInt8]) -> String {
        var digits: [Int] = []  // little-endian base 58
        for byte in bytes {
            var carry = Int(byte)
            for index in digits.indices {
                carry += digits[index] << 8
                digits[index] = carry % 58
                carry /= 58
            }
            while carry > 0 {
                digits.append(carry % 58)
                carry /= 58
            }
        }
        let leadingZeros = bytes.prefix { $0 == 0 }.count
        return String(repeating: "1", count: leadingZeros)
            + String(decoding: digits.reversed().map { alphabet[$0] }, as: UTF8.self)
    }

    /// The checksum of a payload: the first four bytes of SHA-256(SHA-256(payload)).
    package static func checksum(_ payload: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(SHA256.hash(payload)).prefix(4))
    }

    /// Whether `text` is a valid P2PKH or P2SH mainnet address.
    package static func isValidAddress(_ text: some Collection<UInt8>) -> Bool {
        guard text.count >= 26, text.count <= 35, let decoded = decode(text), decoded.count == 25,
            decoded[0] == 0x00 || decoded[0] == 0x05
        else { return false }
        return checksum(Array(decoded[0..<21])) == Array(decoded[21..<25])
    }
}
