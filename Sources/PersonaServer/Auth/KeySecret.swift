import Policies

/// The text of an API key, `pk_<id>_<secret>`, and how it is minted and checked.
public enum KeySecret {
    /// Every key starts with this.
    public static let prefix = "pk_"

    /// A new key id (12 hex digits) and full key text (with 32 random bytes as the secret).
    public static func mint() -> (id: String, text: String) {
        var generator = SystemRandomNumberGenerator()
        let id = hex((0..<6).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let secret = hex((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return (id, prefix + id + "_" + secret)
    }

    /// The id part of `text`, or nil when `text` is not shaped like a key.
    public static func id(of text: String) -> String? {
        guard text.hasPrefix(prefix), text.utf8.count == prefix.utf8.count + 12 + 1 + 64 else { return nil }
        let parts = text.dropFirst(prefix.count).split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 12, parts.allSatisfy({ $0.allSatisfy(\.isHexDigit) }) else {
            return nil
        }
        return String(parts[0])
    }

    /// The lowercase hex SHA-256 of `text`: all the server keeps.
    public static func digest(_ text: String) -> String {
        hex(SHA256.hash(Array(text.utf8)))
    }

    /// Compares two hex digests (a key's, a resume token's) in time independent of where they
    /// differ: the one constant-time compare of the server.
    public static func digestsEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
