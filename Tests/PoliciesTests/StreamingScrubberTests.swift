import PersonaTestSupport
import Policies
import Testing

@Suite("Streaming scrubber")
struct StreamingScrubberTests {
    /// Longer than the default hold-back, so streams release text mid-way.
    static let filler = String(
        repeating: "the quick brown fox jumps over the lazy dog at 10:30 for $12.99 ", count: 5)

    /// Streams `tokens` and returns everything released.
    static func stream(_ tokens: [String], configuration: ScrubberConfiguration = ScrubberConfiguration())
        throws -> String
    {
        var scrubber = StreamingScrubber(configuration: configuration)
        var output = ""
        for token in tokens { output += try scrubber.feed(token) }
        return output + scrubber.finish()
    }

    static func split(_ text: String, at offset: Int) -> [String] {
        let scalars = Array(text.unicodeScalars)
        func string(_ slice: ArraySlice<Unicode.Scalar>) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: slice)
            return String(view)
        }
        return [string(scalars[..<offset]), string(scalars[offset...])]
    }

    @Test("every entity split at every position across two tokens is still caught")
    func everySplit() throws {
        var batch = Scrubber()
        var runs = 0
        // Twelve messages per type (plus every non-ASCII one) keep the debug-build runtime small
        // while covering every detector and the normalisation.
        var perType: [PIIType: Int] = [:]
        for message in LabelledMessage.all where !message.entities.isEmpty {
            let type = message.entities[0].type
            perType[type, default: 0] += 1
            let ascii = message.text.utf8.allSatisfy { $0 < 0x80 }
            if perType[type]! > 12 && ascii { continue }
            // Long filler on both sides so the stream really releases text mid-way.
            let text = Self.filler + message.text + " " + Self.filler
            let expected = try batch.scrub(text)
            let offset = Self.filler.unicodeScalars.count
            for entity in message.entities {
                for split in (entity.start + offset)...(entity.end + offset) {
                    let output = try Self.stream(Self.split(text, at: split))
                    #expect(output == expected, "#\(message.id) split at \(split): \(message.text)")
                    runs += 1
                }
            }
        }
        #expect(runs > 500)
    }

    @Test("one scalar per token and random chunks give the same output as batch")
    func dripFeed() throws {
        var batch = Scrubber()
        var generator = SeededGenerator(seed: 0xD41F)
        for message in LabelledMessage.all.prefix(60) {
            let text = Self.filler + message.text + "\n" + Self.filler + message.text
            let expected = try batch.scrub(text)
            let scalars = text.unicodeScalars.map { String($0) }
            #expect(try Self.stream(scalars) == expected, "#\(message.id) scalar by scalar")
            var chunks: [String] = []
            var index = 0
            while index < scalars.count {
                let length = Int.random(in: 1...40, using: &generator)
                chunks.append(scalars[index..<min(scalars.count, index + length)].joined())
                index += length
            }
            #expect(try Self.stream(chunks) == expected, "#\(message.id) seed \(generator.seed)")
        }
    }

    @Test("releases text once enough follows it, and holds an unterminated private key")
    func releasesAndHolds() throws {
        var scrubber = StreamingScrubber()
        let first = try scrubber.feed(Self.filler)
        #expect(!first.isEmpty, "text followed by more than the hold-back is released")
        #expect(Self.filler.hasPrefix(first))
        #expect(scrubber.heldBytes >= ScrubberConfiguration().holdBackBytes)
        var keyStream = StreamingScrubber()
        var released = try keyStream.feed("here -----BEGIN PRIVATE KEY-----\n")
        for _ in 0..<20 {
            released += try keyStream.feed("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7 \n")
        }
        #expect(released == "here ")
        released += try keyStream.feed("-----END PRIVATE KEY-----\nbye " + Self.filler)
        released += keyStream.finish()
        #expect(released == "here [PRIVATE_KEY]\nbye " + Self.filler)
    }

    @Test("refuses a stream held past maxHeldBytes by exactly one byte")
    func holdLimit() throws {
        var scrubber = StreamingScrubber(configuration: ScrubberConfiguration(maxHeldBytes: 1000))
        #expect(try scrubber.feed(String(repeating: "a", count: 1000)) == "")
        #expect(throws: ScrubError.holdBackOverflow(bytes: 1001, limit: 1000)) { try scrubber.feed("a") }
    }

    @Test("placeholders in a stream follow the session")
    func placeholders() throws {
        var scrubber = StreamingScrubber(configuration: ScrubberConfiguration(replacement: .placeholder))
        var session = ScrubSession()
        var output = try scrubber.feed("write to a@exa", session: &session)
        output += try scrubber.feed("mple.com or b@example.com, a@example.com", session: &session)
        output += scrubber.finish(session: &session)
        #expect(output == "write to <EMAIL_1> or <EMAIL_2>, <EMAIL_1>")
        #expect(scrubber.counters[.email] == 3)
    }
}
