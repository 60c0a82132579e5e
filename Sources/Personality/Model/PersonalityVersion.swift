/// A personality's version: a 64-bit FNV-1a hash of its file's bytes, written as 16 hex digits.
///
/// Any edit to the file — even a comment — gives a new version. That is deliberate: the
/// response cache keys on the version, and a cheap over-invalidation is far better than ever
/// serving a reply from an older personality. (FNV-1a is not a cryptographic hash; versions
/// identify content, they do not authenticate it.)
public struct PersonalityVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The hash.
    public var value: UInt64

    /// Creates a version from a hash value.
    public init(_ value: UInt64) {
        self.value = value
    }

    /// The version of a file's content.
    public init(of bytes: some Sequence<UInt8>) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        self.value = hash
    }

    /// 16 lowercase hex digits.
    public var description: String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Orders by hash value (only to make listings stable).
    public static func < (lhs: PersonalityVersion, rhs: PersonalityVersion) -> Bool { lhs.value < rhs.value }
}
