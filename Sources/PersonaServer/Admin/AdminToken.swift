/// The admin API's bearer token, compared in constant time.
public struct AdminToken: Sendable, Hashable {
    /// The token text.
    public let value: String

    /// Wraps a token.
    public init(_ value: String) {
        self.value = value
    }

    /// A new random token: 32 bytes from the system's CSPRNG, as 64 hex digits.
    public static func generate() -> AdminToken {
        var generator = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef")
        var text = ""
        for _ in 0..<32 {
            let byte = UInt8.random(in: 0...255, using: &generator)
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return AdminToken(text)
    }

    /// Whether `presented` equals the token, taking time that depends only on the lengths
    /// (never on where the first difference is), so a caller cannot find the token a byte at
    /// a time by timing refusals.
    public func matches(_ presented: String) -> Bool {
        let expected = Array(value.utf8)
        let given = Array(presented.utf8)
        var difference = UInt(expected.count ^ given.count)
        for index in 0..<given.count {
            let want = expected.isEmpty ? 0 : expected[index % expected.count]
            difference |= UInt(want ^ given[index])
        }
        return difference == 0 && !expected.isEmpty
    }

    /// Whether an `Authorization` header value carries this token (`Bearer <token>`; the
    /// scheme is case-insensitive, RFC 9110 §11.1).
    public func authorizes(header: String?) -> Bool {
        guard let header else { return false }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
        return matches(parts[1].trimmingSpaces)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
