import PersonaTestSupport
import Testing
import WebSocket

@Suite("Base64 (RFC 4648)")
struct Base64Tests {
    /// RFC 4648 §10 test vectors.
    @Test(
        "encodes and decodes the RFC 4648 test vectors",
        arguments: [
            ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
        ])
    func vectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test(
        "refuses malformed input",
        arguments: [
            "Zg=", "Zg", "Z===", "Zm9v\n", "Zm 9", "Zh==", "Zm9=", "=Zm9", "Zg==Zg==", "Zm-_", "Zm8=Zm8=",
        ])
    func refusesMalformed(text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test("round-trips random bytes (seeded)")
    func roundTrips() {
        var generator = SeededGenerator(seed: 4648)
        for _ in 0..<300 {
            let count = Int.random(in: 0..<40, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = Base64.encode(bytes)
            #expect(Base64.decode(encoded) == bytes, "seed \(generator.seed) input \(bytes)")
        }
    }

    @Test("decodes random text only when it is the canonical encoding of its bytes (seeded)")
    func canonicalOnly() {
        var generator = SeededGenerator(seed: 4649)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n".utf8)
        var decodedCount = 0
        for _ in 0..<3000 {
            let length = Int.random(in: 0..<13, using: &generator)
            let text = String(
                decoding: (0..<length).map { _ in alphabet.randomElement(using: &generator)! }, as: UTF8.self)
            if let bytes = Base64.decode(text) {
                decodedCount += 1
                #expect(Base64.encode(bytes) == text, "seed \(generator.seed) input \(text.debugDescription)")
            }
        }
        #expect(decodedCount > 0)
    }
}
