import Testing
import WebSocket

@Suite("SHA-1 (RFC 3174)")
struct SHA1Tests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined()
    }

    /// RFC 3174 §7.3 TEST1, TEST2 and TEST4 (TEST3, a million "a", has its own test), plus the
    /// empty message from FIPS 180-2's examples.
    @Test(
        "matches the RFC 3174 test vectors",
        arguments: [
            ("abc", 1, "a9993e364706816aba3e25717850c26c9cd0d89d"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
                "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
            ),
            ("01234567012345670123456701234567", 20, "dea356a2cddd90c7a7ecedc5ebb563934f460452"),
            ("", 1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ])
    func matchesVectors(text: String, repeats: Int, expected: String) {
        var sha = SHA1()
        for _ in 0..<repeats { sha.update(Array(text.utf8)) }
        #expect(Self.hex(sha.finalize()) == expected)
    }

    @Test("matches the RFC 3174 million-'a' vector")
    func matchesMillionA() {
        var sha = SHA1()
        let block = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { sha.update(block) }
        #expect(Self.hex(sha.finalize()) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test(
        "gives the same digest however the input is split", arguments: [0, 1, 55, 56, 63, 64, 65, 119, 130])
    func splitsDoNotMatter(cut: Int) {
        let input = (0..<130).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var sha = SHA1()
        sha.update(input[..<cut])
        sha.update(input[cut...])
        #expect(sha.finalize() == SHA1.hash(input))
    }
}
