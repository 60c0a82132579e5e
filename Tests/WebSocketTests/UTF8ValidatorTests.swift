import PersonaTestSupport
import Testing
import WebSocket

/// A deliberately plain reference: decode each sequence by its lead byte, then check the code
/// point's range (RFC 3629 §3 and §4: no overlongs, no surrogates, nothing above U+10FFFF).
/// Returns the index of the first byte after which no valid completion exists, `count` for a truncated
/// final sequence, or nil if valid.
func referenceFirstInvalid(_ bytes: [UInt8]) -> Int? {
    var i = 0
    while i < bytes.count {
        let lead = bytes[i]
        let length: Int
        let minimum: UInt32
        var scalar: UInt32
        switch lead {
        case 0x00...0x7F: i += 1; continue
        case 0xC0...0xDF: length = 2; minimum = 0x80; scalar = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(lead & 0x0F)
        case 0xF0...0xF7: length = 4; minimum = 0x10000; scalar = UInt32(lead & 0x07)
        default: return i
        }
        // C0, C1 (always overlong) and F5–F7 (always above U+10FFFF) can never start a valid
        // character, so the lead byte itself is the first invalid one.
        if lead == 0xC0 || lead == 0xC1 || lead >= 0xF5 { return i }
        for k in 1..<length {
            guard i + k < bytes.count else { return bytes.count }
            let byte = bytes[i + k]
            guard byte & 0xC0 == 0x80 else { return i + k }
            scalar = scalar << 6 | UInt32(byte & 0x3F)
            // Decide as early as the prefix allows, as the streaming validator does.
            let remaining = length - 1 - k
            let low = scalar << (6 * UInt32(remaining))
            let high = low | ((1 << (6 * UInt32(remaining))) - 1)
            if high < minimum || low > 0x10FFFF || (low >= 0xD800 && high <= 0xDFFF) { return i + k }
        }
        i += length
    }
    return nil
}

@Suite("UTF-8 validator (RFC 3629, RFC 6455 §8.1)")
struct UTF8ValidatorTests {
    @Test(
        "accepts valid UTF-8",
        arguments: [
            [], Array("plain ASCII text longer than eight bytes".utf8), [0xC2, 0x80], [0xDF, 0xBF],
            [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF],
            [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], Array("κόσμε — 日本語 — 🎉".utf8),
        ] as [[UInt8]])
    func acceptsValid(bytes: [UInt8]) {
        var validator = UTF8Validator()
        let ok1 = validator.consume(bytes)
        #expect(ok1)
        #expect(validator.isComplete)
    }

    @Test(
        "refuses invalid UTF-8 at the first offending byte",
        arguments: [
            // stray continuation, overlong 2-byte
            ([0x80], 0), ([0xBF], 0), ([0xC0, 0x80], 0), ([0xC1, 0xBF], 0),
            ([0xE0, 0x80, 0x80], 1), ([0xE0, 0x9F, 0xBF], 1),  // overlong 3-byte
            ([0xED, 0xA0, 0x80], 1), ([0xED, 0xBF, 0xBF], 1),  // surrogates
            ([0xF0, 0x8F, 0xBF, 0xBF], 1),  // overlong 4-byte
            // above U+10FFFF, never valid
            ([0xF4, 0x90, 0x80, 0x80], 1), ([0xF5, 0x80, 0x80, 0x80], 0), ([0xFF], 0), ([0xFE], 0),
            (Array("abcdefgh".utf8) + [0xC2, 0x41], 9),  // missing continuation after ASCII run
            ([0x61, 0xE2, 0x82, 0x28], 3),
        ] as [([UInt8], Int)])
    func refusesInvalid(bytes: [UInt8], firstBad: Int) {
        var validator = UTF8Validator()
        for (index, byte) in bytes.enumerated() {
            let ok = validator.consume([byte])
            #expect(ok == (index < firstBad), "byte \(index) of \(bytes)")
            if !ok { break }
        }
        #expect(referenceFirstInvalid(bytes) == firstBad)
    }

    @Test("agrees with the reference for every byte after every kind of unfinished prefix")
    func exhaustiveNextByte() {
        // One prefix per DFA state: between characters, and each "expecting" situation.
        let prefixes: [[UInt8]] = [
            [], [0xC2], [0xE0], [0xE1], [0xED], [0xF0], [0xF1], [0xF4], [0xE1, 0x80], [0xF1, 0x80],
            [0xF1, 0x80, 0x80],
        ]
        for prefix in prefixes {
            for byte in 0...255 {
                let input = prefix + [UInt8(byte)]
                var validator = UTF8Validator()
                let accepted = validator.consume(input)
                let reference = referenceFirstInvalid(input)
                // Valid so far means: no invalid byte (valid, or only truncated at the end).
                #expect(accepted == (reference == nil || reference == input.count), "input \(input)")
                #expect(validator.isComplete == (reference == nil), "input \(input)")
            }
        }
    }

    @Test(
        "gives the same verdict whole, byte by byte and split at every index",
        arguments: [
            Array("ASCII run longer than eight, then κόσμε and 🎉!".utf8),
            Array("twelve bytes".utf8) + [0xF0, 0x9F, 0x8E, 0x89] + Array("and eight more bytes".utf8),
            Array("valid start ".utf8) + [0xED, 0xA0, 0x80] + Array("after a surrogate".utf8),
            Array("ends mid-character ".utf8) + [0xE2, 0x82],
        ] as [[UInt8]])
    func dripFeed(input: [UInt8]) {
        func verdict(_ chunks: [[UInt8]]) -> String {
            var validator = UTF8Validator()
            for chunk in chunks where !validator.consume(chunk) {
                return "failed"
            }
            return validator.isComplete ? "complete" : "incomplete"
        }
        let whole = verdict([input])
        for chunks in DripFeed.splits(of: input) {
            #expect(verdict(chunks) == whole, "chunks \(chunks.map(\.count))")
        }
    }

    @Test("fails across a fragment boundary without waiting for the message end")
    func acrossFragments() {
        var validator = UTF8Validator()
        let ok2 = validator.consume(Array("ok ".utf8) + [0xE2, 0x82])
        #expect(ok2)
        #expect(!validator.isComplete)
        let ok3 = validator.consume([0x28, 0x61])
        #expect(!ok3)
        let ok4 = validator.consume(Array("more".utf8))
        #expect(!ok4)  // sticky
    }

    @Test("reports a truncated final character as incomplete")
    func truncated() {
        var validator = UTF8Validator()
        let ok5 = validator.consume([0xF0, 0x9F, 0x8E])
        #expect(ok5)
        #expect(!validator.isComplete)
        let ok6 = validator.consume([0x89])
        #expect(ok6)
        #expect(validator.isComplete)
    }

    @Test(
        "agrees with the reference decoder and the standard library on random input, whole and in pieces (seeded)"
    )
    func fuzz() {
        var generator = SeededGenerator(seed: 3629)
        let pool: [UInt8] = [
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEE,
            0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFF,
        ]
        for _ in 0..<4000 {
            let count = Int.random(in: 0..<24, using: &generator)
            let bytes: [UInt8] = (0..<count).map { _ in
                Bool.random(using: &generator)
                    ? pool.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
            }
            var whole = UTF8Validator()
            let wholeOK = whole.consume(bytes) && whole.isComplete
            let reference = referenceFirstInvalid(bytes)
            let standard = String(validating: bytes, as: UTF8.self) != nil
            #expect(wholeOK == (reference == nil), "seed \(generator.seed) input \(bytes)")
            #expect(wholeOK == standard, "seed \(generator.seed) input \(bytes)")
            var pieces = UTF8Validator()
            var firstFailure: Int?
            for (index, byte) in bytes.enumerated() where !pieces.consume([byte]) {
                firstFailure = index
                break
            }
            if let reference, reference < bytes.count {
                #expect(firstFailure == reference, "seed \(generator.seed) input \(bytes)")
            } else {
                #expect(firstFailure == nil, "seed \(generator.seed) input \(bytes)")
            }
        }
    }
}
