/// Bech32 (BIP-173) and Bech32m (BIP-350) checksums for SegWit `bc1…` addresses.
package enum Bech32 {
    private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    private static let generator: [UInt32] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]

    /// Which checksum constant a string verified with.
    package enum Encoding: Sendable {
        /// BIP-173, constant 1 (witness version 0).
        case bech32
        /// BIP-350, constant 0x2bc830a3 (witness versions 1...16).
        case bech32m
    }

    /// The 5-bit value of a (lowercase) data character.
    package static func value(_ char: UInt8) -> UInt8? {
        guard let index = charset.firstIndex(of: char) else { return nil }
        return UInt8(index)
    }

    /// The BCH polymod over 5-bit values (BIP-173 "bech32_polymod").
    package static func polymod(_ values: [UInt8]) -> UInt32 {
        var checksum: UInt32 = 1
        for value in values {
            let top = checksum >> 25
            checksum = (checksum & 0x1ffffff) << 5 ^ UInt32(value)
            for bit in 0..<5 where (top >> UInt32(bit)) & 1 == 1 { checksum ^= generator[bit] }
        }
        return checksum
    }

    /// The hrp expansion (high bits, 0, low bits).
    package static func expand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    /// Verifies a lowercase bech32 string `hrp1data`; returns the encoding, or nil.
    package static func verify(_ text: [UInt8]) -> Encoding? {
        guard let separator = text.lastIndex(of: 0x31), separator >= 1, text.count - separator - 1 >= 6 else {
            return nil
        }
        var data: [UInt8] = []
        for char in text[(separator + 1)...] {
            guard let value = value(char) else { return nil }
            data.append(value)
        }
        switch polymod(expand(Array(text[..<separator])) + data) {
        case 1: return .bech32
        case 0x2bc830a3: return .bech32m
        default: return nil
        }
    }

    /// Whether `text` (any case, not mixed) is a valid mainnet SegWit address: hrp `bc`,
    /// bech32 for witness version 0 with a 20- or 32-byte program, bech32m for versions 1–16.
    package static func isValidAddress(_ text: some Collection<UInt8>) -> Bool {
        let bytes = Array(text)
        guard bytes.count >= 14, bytes.count <= 74 else { return false }
        let hasLower = bytes.contains { $0 >= 0x61 && $0 <= 0x7A }
        let hasUpper = bytes.contains { $0 >= 0x41 && $0 <= 0x5A }
        if hasLower && hasUpper { return false }
        let lower = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        guard lower[0] == 0x62, lower[1] == 0x63, lower[2] == 0x31, let encoding = verify(lower) else {
            return false
        }
        guard let version = value(lower[3]) else { return false }
        let programBits = (lower.count - 4 - 6) * 5
        let programBytes = programBits / 8
        if version == 0 {
            return encoding == .bech32 && (programBytes == 20 || programBytes == 32)
        }
        return encoding == .bech32m && version <= 16 && programBytes >= 2 && programBytes <= 40
    }

    /// Encodes `hrp` + 5-bit `data` with a checksum (used by tests to build addresses).
    package static func encode(hrp: String, data: [UInt8], encoding: Encoding) -> String {
        let hrpBytes = Array(hrp.utf8)
        let constant: UInt32 = encoding == .bech32 ? 1 : 0x2bc830a3
        let values = expand(hrpBytes) + data + [0, 0, 0, 0, 0, 0]
        let mod = polymod(values) ^ constant
        let checksum = (0..<6).map { UInt8((mod >> UInt32(5 * (5 - $0))) & 31) }
        return hrp + "1" + String(decoding: (data + checksum).map { charset[Int($0)] }, as: UTF8.self)
    }

    /// Regroups bits (8 → 5 for encoding a witness program), padding the last group.
    package static func convertBits(_ data: [UInt8], from: Int, to: Int) -> [UInt8] {
        var accumulator = 0
        var bits = 0
        var result: [UInt8] = []
        let maxValue = (1 << to) - 1
        for value in data {
            accumulator = (accumulator << from) | Int(value)
            bits += from
            while bits >= to {
                bits -= to
                result.append(UInt8((accumulator >> bits) & maxValue))
            }
        }
        if bits > 0 { result.append(UInt8((accumulator << (to - bits)) & maxValue)) }
        return result
    }
}
