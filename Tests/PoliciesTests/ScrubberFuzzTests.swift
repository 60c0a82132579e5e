import PersonaTestSupport
import Policies
import Testing

@Suite("Scrubber fuzzing")
struct ScrubberFuzzTests {
    /// Fragments that push detectors into their edge cases when glued at random.
    static let fragments: [String] = [
        "4111", " ", "-", ".", "1111", "@", "example", ".com", "+", "(", ")", "0", "12", "345", "6789", ":",
        "::",
        "ff", "a", "0x", "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "https://", "user:pw@", "?token=", "&",
        "=", "key", "password is ", "pw: ", "DE89", "3704", "eyJ", "hbGciOiJIUzI1NiJ9",
        "-----BEGIN PRIVATE KEY-----",
        "-----END", "\n", "１", "\u{00A0}", "\u{200B}", "😀", "é", "ghp_", "AKIA", "bc1q", "1Boat", "[EMAIL]",
        "<PHONE_1>",
        "sk-", "xoxb-", "version ", "v", "127.0.0.1", "8.8.8.8", "\"", "'", "/", "#", "$", "_", "ssn ",
        "call ",
    ]

    @Test(
        "never crashes; offsets are valid, ordered and disjoint; scrubbing is idempotent; streaming equals batch"
    )
    func fuzz() throws {
        var generator = SeededGenerator(seed: 0xF022_2026)
        var scrubber = Scrubber()
        for round in 0..<5_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...30, using: &generator) {
                text += Self.fragments[Int.random(in: 0..<Self.fragments.count, using: &generator)]
            }
            let entities = try scrubber.scan(text)
            let scalarCount = text.unicodeScalars.count
            var previousEnd = 0
            for entity in entities {
                #expect(
                    entity.start >= previousEnd && entity.start < entity.end && entity.end <= scalarCount,
                    "seed \(generator.seed) round \(round) input \(text.debugDescription): \(entities)")
                previousEnd = entity.end
            }
            let once = try scrubber.scrub(text)
            let twice = try scrubber.scrub(once)
            #expect(once == twice, "seed \(generator.seed) round \(round) input \(text.debugDescription)")
            if round % 10 == 0 {
                let padded = StreamingScrubberTests.filler + text + " " + StreamingScrubberTests.filler
                let cut = Int.random(in: 0...padded.unicodeScalars.count, using: &generator)
                let streamed = try StreamingScrubberTests.stream(
                    StreamingScrubberTests.split(padded, at: cut))
                #expect(
                    streamed == (try scrubber.scrub(padded)),
                    "seed \(generator.seed) round \(round) cut \(cut) input \(text.debugDescription)")
            }
        }
    }

    @Test("random bytes decoded as UTF-8 never crash the scanner")
    func byteSoup() throws {
        var generator = SeededGenerator(seed: 0xB17E_5009)
        let scrubber = Scrubber()
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...200, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let entities = try scrubber.scan(text)
            #expect(
                entities.allSatisfy { $0.end <= text.unicodeScalars.count },
                "seed \(generator.seed) bytes \(bytes)")
        }
    }
}
