import Foundation
import PersonaTestSupport
import Policies
import Testing

@testable import persona

@Suite("persona scrub")
struct ScrubCommandTests {
    static let jsonl = """
        {"id": 1, "text": "mail me at anna.smith@example.org"}
        {"id": "two", "text": "call (415) 555-2671 😀 or pay 4111 1111 1111 1111"}

        not json at all
        {"id": 4, "text": 42}
        {"text": "no id"}
        [1, 2]
        {"id": {"nested": true}, "text": "nothing here, order 4155552671"}\r
        {"id": 9, "text": "ip 8.8.8.8"}
        """

    static let expected = """
        {"id":1,"entities":[{"type":"email","start":11,"end":33}]}
        {"id":"two","entities":[{"type":"phone","start":5,"end":19},{"type":"credit_card","start":29,"end":48}]}
        {"line":4,"error":"invalid JSON: unexpected character 'o' at byte 1"}
        {"id":4,"line":5,"error":"\\"text\\" must be a string"}
        {"line":6,"error":"missing \\"id\\""}
        {"line":7,"error":"expected an object with \\"id\\" and \\"text\\""}
        {"id":{"nested":true},"entities":[]}
        {"id":9,"entities":[{"type":"ip_address","start":3,"end":10}]}

        """

    static func run(_ chunks: [[UInt8]], jsonLines: Bool, replacement: String = "[{type}]") throws -> (
        String, ScrubRun.Summary
    ) {
        var configuration = ScrubRun.Configuration(jsonLines: jsonLines)
        configuration.scrubber.replacement = .label(template: replacement)
        var remaining = chunks[...]
        var output = ""
        let summary = try ScrubRun(configuration: configuration).run(
            read: { remaining.popFirst() }, write: { output += $0 })
        return (output, summary)
    }

    @Test("answers every JSON line with entities or an error line carrying the line number")
    func jsonLines() throws {
        let (output, summary) = try Self.run([Array(Self.jsonl.utf8)], jsonLines: true)
        #expect(output == Self.expected)
        #expect(summary.lines == 4)
        #expect(summary.failedLines == 4)
        #expect(summary.counters[.email] == 1)
    }

    @Test("gives the same JSON Lines output whole, byte by byte and split at every index")
    func jsonLinesDripFeed() throws {
        let bytes = Array(Self.jsonl.utf8)
        for chunks in DripFeed.splits(of: bytes) {
            let (output, _) = try Self.run(chunks, jsonLines: true)
            #expect(output == Self.expected, "chunks: \(chunks.map(\.count))")
        }
    }

    @Test("scrubs plain text the same way however standard input is chunked")
    func plainDripFeed() throws {
        let text =
            "hi, I'm anna.smith@example.org — card 4111 1111 1111 1111, pw: hunter22 ✅\n"
            + String(repeating: "filler words to push the hold-back window along ", count: 8)
            + "\ncall +44 20 7946 0958\n"
        let expected =
            "hi, I'm [EMAIL] — card [CREDIT_CARD], pw: [PASSWORD] ✅\n"
            + String(repeating: "filler words to push the hold-back window along ", count: 8)
            + "\ncall [PHONE]\n"
        let bytes = Array(text.utf8)
        var generator = SeededGenerator(seed: 77)
        var splits = DripFeed.splits(of: bytes)
        splits.append(DripFeed.randomChunks(of: bytes, maxChunk: 9, using: &generator))
        for chunks in splits {
            let (output, summary) = try Self.run(chunks, jsonLines: false)
            #expect(output == expected, "chunks: \(chunks.map(\.count))")
            #expect(summary.counters.total == 4)
        }
    }

    @Test("refuses a line one byte over maxLineBytes, however it is chunked, and goes on")
    func lineLimit() throws {
        let fits = #"{"id":1,"text":"a@example.com"}"#
        let limit = fits.utf8.count
        let tooLong = #"{"id":2,"text":"b@example.com "}"#
        #expect(tooLong.utf8.count == limit + 1)
        let input = Array((fits + "\n" + tooLong + "\n" + fits + "\n").utf8)
        let answer = #"{"id":1,"entities":[{"type":"email","start":0,"end":13}]}"#
        let expected =
            answer + "\n" + #"{"line":2,"error":"line longer than \#(limit) bytes"}"# + "\n" + answer + "\n"
        for chunks in DripFeed.splits(of: input) {
            var configuration = ScrubRun.Configuration(jsonLines: true)
            configuration.maxLineBytes = limit
            var remaining = chunks[...]
            var output = ""
            let summary = try ScrubRun(configuration: configuration).run(
                read: { remaining.popFirst() }, write: { output += $0 })
            #expect(output == expected, "chunks: \(chunks.map(\.count))")
            #expect(summary.failedLines == 1)
        }
    }

    @Test("answers each complete line before reading more input")
    func flushesBeforeWaiting() throws {
        let lines = [#"{"id":1,"text":"a@example.com"}"# + "\n", #"{"id":2,"text":"x"}"# + "\n"]
        var remaining = lines.map { Array($0.utf8) }[...]
        var output = ""
        var seenBeforeEachRead: [Int] = []
        _ = try ScrubRun(configuration: ScrubRun.Configuration(jsonLines: true)).run(
            read: {
                seenBeforeEachRead.append(output.split(separator: "\n").count)
                return remaining.popFirst()
            },
            write: { output += $0 })
        #expect(seenBeforeEachRead == [0, 1, 2])
    }

    @Test("runs as a real command: stdin to stdout, exit 1 after bad lines")
    func binary() throws {
        let plain = try ProcessResult.persona(["scrub"], input: "mail a@example.com\n")
        #expect(plain.status == 0)
        #expect(plain.stdout == "mail [EMAIL]\n")
        let custom = try ProcessResult.persona(["scrub", "--replace", "***"], input: "mail a@example.com")
        #expect(custom.stdout == "mail ***")
        let placeholders = try ProcessResult.persona(
            ["scrub", "--placeholders"], input: "a@example.com b@example.com a@example.com")
        #expect(placeholders.stdout == "<EMAIL_1> <EMAIL_2> <EMAIL_1>")
        let lines = try ProcessResult.persona(["scrub", "--jsonl"], input: Self.jsonl)
        #expect(lines.stdout == Self.expected)
        #expect(lines.status == 1)
        #expect(lines.stderr.hasPrefix("Error: 4 line(s) could not be scrubbed"))
    }

    static let labelled = """
        {"id": 1, "text": "mail anna dot smith at example dot org now", "entities": [{"type": "email", "start": 5, "end": 38}]}
        {"id": 2, "text": "call 555-0142 or see 4.3.2.1", "entities": [{"type": "PHONE_NUMBER", "start": 5, "end": 13}], "decoys": [{"kind": "section", "start": 21, "end": 28}]}
        {"id": 3, "text": "nothing to see here", "entities": []}
        {"id": 4, "text": "the code word is Zeppelin and pin 4821", "entities": [{"type": "password", "start": 17, "end": 25}]}

        """

    @Test("scores a labelled set: per type, full-span recall, clean false alarms and the misses")
    func score() throws {
        let messages = try ScrubScore.messages(in: Array(Self.labelled.utf8))
        #expect(messages.count == 4)
        let types = try ScrubScore.types(requested: nil, labelled: messages)
        let scorer = ScrubScore(configuration: ScrubberConfiguration(types: types))
        let card = scorer.score(messages)
        #expect(card.types["email"]?.matched == 1)
        #expect(card.types["phone"]?.matched == 1)
        #expect(card.overall.labelled == 3)
        #expect(card.overall.covered == 2)
        #expect(card.cleanMessages == 1 && card.cleanFalseAlarms == 0)
        #expect(card.decoys == 1 && card.decoysHit == 0)
        #expect(card.misses.map(\.text) == ["Zeppelin"])
        // "pin 4821" is a finding no label covers.
        #expect(card.falseAlarms.map(\.text) == ["4821"])
        let report = scorer.render(card, source: "set.jsonl")
        #expect(report.contains("full-span recall: 0.667 (2 of 3 labelled spans wholly redacted)"))
        #expect(report.contains("clean false alarms: 0.000 (0 of 1 clean messages had a finding)"))
        #expect(report.contains("  4 password[17,25) \"Zeppelin\" — found nothing"))
    }

    @Test("a malformed labelled line stops the score with its line number")
    func scoreRefusesBadLines() {
        let bad = #"{"id": 1, "text": "abc", "entities": [{"type": "email", "start": 2, "end": 9}]}"#
        #expect(throws: ScrubScore.LineError.self) { try ScrubScore.messages(in: Array(("\n" + bad).utf8)) }
        do {
            _ = try ScrubScore.messages(in: Array(("\n" + bad).utf8))
        } catch {
            #expect(error.description == "line 2: span [2, 9) is outside the text (3 code points)")
        }
    }

    @Test("persona scrub --score runs as a real command on the held-back set")
    func scoreBinary() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("PoliciesTests/Fixtures/pii-heldback.jsonl").path
        let result = try ProcessResult.persona(["scrub", "--score", path, "--summary"], input: "")
        #expect(result.status == 0)
        #expect(result.stdout.contains("435 messages (153 clean), 316 labelled spans"))
        #expect(!result.stdout.contains("misses ("))
    }
}
