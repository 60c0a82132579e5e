/// EIP-55 mixed-case checksums for Ethereum addresses: a hex letter is uppercase exactly when
/// the matching nibble of Keccak-256(lowercase hex address) is 8 or more.
package enum EIP55 {
    /// The checksummed spelling of 40 hex characters (any case), without `0x`.
    package static func checksummed(_ hex: some Collection<UInt8>) -> [UInt8] {
        let lower = hex.map { $0 >= 0x41 && $0 <= 0x46 ? $0 | 0x20 : $0 }
        let hash = Keccak256.hash(lower)
        var result = lower
        for index in result.indices where result[index] >= 0x61 {
            let nibble = index % 2 == 0 ? hash[index / 2] >> 4 : hash[index / 2] & 0x0F
            if nibble >= 8 { result[index] &= ~0x20 }
        }
        return result
    }

    /// Whether 40 hex characters are acceptable: all-lowercase or all-uppercase (no checksum
    /// claimed) or mixed case matching the checksum.
    package static func isAcceptable(_ hex: some Collection<UInt8>) -> Bool {
        let hasLower = hex.contains { $0 >= 0x61 && $0 <= 0x66 }
        let hasUpper = hex.contains { $0 >= 0x41 && $0 <= 0x46 }
        if !(hasLower && hasUpper) { return true }
        return checksummed(hex) == Array(hex)
    }
}
