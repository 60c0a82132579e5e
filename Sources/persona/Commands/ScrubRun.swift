import JSON
import Policies

/// The work behind `persona scrub`, separate from argv and file handles so tests drive it with
/// in-memory streams.
///
/// - Plain mode: standard input is one stream of text, scrubbed through a
///   ``StreamingScrubber`` (so input of any size runs in bounded memory and an entity split
///   across read chunks is still caught) and written as it becomes safe.
/// - JSON Lines mode: each line is `{"id": <any JSON>, "text": "<string>"}`; each produces one
///   line `{"id": <same>, "entities": [{"type", "start", "end"}]}` with Unicode-scalar
///   offsets, half-open. A line that is not such an object, or whose text the scrubber
///   refuses, produces `{"line": N, "error": "..."}` (with `"id"` when one was readable) and
///   processing continues. Blank lines are skipped; `\r\n` endings are accepted.
///   Output is flushed after every input chunk that completed at least one line, i.e. before
///   every wait for more input, so an interactive caller gets each answer before it sends
///   the next line while a file is processed in large writes.
struct ScrubRun {
    /// What to do.
    struct Configuration: Sendable {
        /// Read JSON Lines and report entities instead of scrubbing text.
        var jsonLines = false
        /// The scrubber's settings.
        var scrubber = ScrubberConfiguration()
        /// Longest JSON line accepted, in bytes without the newline. Default 1 MiB; a longer
        /// line is answered with an error as soon as the limit is crossed and skipped to its
        /// newline without being buffered.
        var maxLineBytes = 1 << 20
    }

    /// The outcome of a run.
    struct Summary: Sendable, Hashable {
        /// JSON Lines processed successfully.
        var lines = 0
        /// JSON Lines answered with an error line.
        var failedLines = 0
        /// Redactions by type (plain mode) or entities found (JSON Lines mode).
        var counters = RedactionCounters()
    }

    let configuration: Configuration

    /// Reads chunks from `read` (nil at end of input) and writes results to `write`.
    func run(read: () throws -> [UInt8]?, write: (String) -> Void) throws -> Summary {
        configuration.jsonLines
            ? try runLines(read: read, write: write) : try runPlain(read: read, write: write)
    }

    private func runPlain(read: () throws -> [UInt8]?, write: (String) -> Void) throws -> Summary {
        var stream = StreamingScrubber(configuration: configuration.scrubber)
        var carry: [UInt8] = []
        while let chunk = try read() {
            carry.append(contentsOf: chunk)
            // Feed only whole UTF-8 sequences; keep an incomplete tail for the next chunk.
            let complete = ScrubRun.completeUTF8Prefix(carry)
            let text = String(decoding: carry[..<complete], as: UTF8.self)
            carry.removeFirst(complete)
            let released = try stream.feed(text)
            if !released.isEmpty { write(released) }
        }
        if !carry.isEmpty { _ = try stream.feed(String(decoding: carry, as: UTF8.self)) }
        let rest = stream.finish()
        if !rest.isEmpty { write(rest) }
        return Summary(counters: stream.counters)
    }

    private func runLines(read: () throws -> [UInt8]?, write: (String) -> Void) throws -> Summary {
        let scrubber = Scrubber(configuration: configuration.scrubber)
        let parser = JSONParser()
        var summary = Summary()
        var buffer: [UInt8] = []
        var lineNumber = 0
        var output: [UInt8] = []
        output.reserveCapacity(1 << 16)
        var atEnd = false
        var skippingLongLine = false
        let limit = configuration.maxLineBytes
        while !atEnd {
            if let chunk = try read() { buffer.append(contentsOf: chunk) } else { atEnd = true }
            var start = 0
            buffer.withUnsafeBufferPointer { bytes in
                while start < bytes.count {
                    var end = start
                    while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                    if skippingLongLine {
                        start = min(end + 1, bytes.count)
                        if end < bytes.count { skippingLongLine = false }
                        continue
                    }
                    var lineEnd = end
                    if lineEnd > start && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                    if end == bytes.count && !atEnd {
                        // An incomplete line: wait for more, unless it is already too long.
                        if end - start > limit {
                            lineNumber += 1
                            ScrubRun.fail(
                                "line longer than \(limit) bytes", id: nil, number: lineNumber,
                                summary: &summary, output: &output)
                            skippingLongLine = true
                            start = bytes.count
                        }
                        break
                    }
                    lineNumber += 1
                    let line = UnsafeBufferPointer(rebasing: bytes[start..<lineEnd])
                    start = min(end + 1, bytes.count)
                    if line.count > limit {
                        ScrubRun.fail(
                            "line longer than \(limit) bytes", id: nil, number: lineNumber, summary: &summary,
                            output: &output)
                        continue
                    }
                    if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    processLine(
                        line, number: lineNumber, scrubber: scrubber, parser: parser,
                        summary: &summary, output: &output)
                }
            }
            buffer.removeFirst(start)
            if !output.isEmpty {
                write(String(decoding: output, as: UTF8.self))
                output.removeAll(keepingCapacity: true)
            }
        }
        return summary
    }

    private func processLine(
        _ line: UnsafeBufferPointer<UInt8>, number: Int, scrubber: Scrubber, parser: JSONParser,
        summary: inout Summary, output: inout [UInt8]
    ) {
        var id: JSONValue? = nil
        func fail(_ message: String) {
            ScrubRun.fail(message, id: id, number: number, summary: &summary, output: &output)
        }
        let value: JSONValue
        do {
            value = try parser.parse(line)
        } catch {
            return fail("invalid JSON: \(error)")
        }
        guard case .object(let object) = value else {
            return fail("expected an object with \"id\" and \"text\"")
        }
        id = object["id"]
        guard id != nil else { return fail("missing \"id\"") }
        guard let text = object["text"]?.stringValue else { return fail("\"text\" must be a string") }
        let entities: [PIIEntity]
        do {
            entities = try scrubber.scan(text)
        } catch {
            return fail("refused: \(error)")
        }
        summary.lines += 1
        output.append(contentsOf: "{\"id\":".utf8)
        output.append(contentsOf: id!.serializedBytes())
        output.append(contentsOf: ",\"entities\":[".utf8)
        for (index, entity) in entities.enumerated() {
            summary.counters.count(entity.type)
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: "{\"type\":\"".utf8)
            output.append(contentsOf: entity.type.rawValue.utf8)
            output.append(contentsOf: "\",\"start\":\(entity.start),\"end\":\(entity.end)}".utf8)
        }
        output.append(contentsOf: "]}\n".utf8)
    }

    /// Appends `{"id": …, "line": N, "error": "…"}` and counts the failure.
    private static func fail(
        _ message: String, id: JSONValue?, number: Int, summary: inout Summary, output: inout [UInt8]
    ) {
        summary.failedLines += 1
        output.append(contentsOf: "{".utf8)
        if let id {
            output.append(contentsOf: "\"id\":".utf8)
            output.append(contentsOf: id.serializedBytes())
            output.append(UInt8(ascii: ","))
        }
        output.append(contentsOf: "\"line\":\(number),\"error\":".utf8)
        output.append(contentsOf: JSONValue.string(message).serializedBytes())
        output.append(contentsOf: "}\n".utf8)
    }

    /// The length of the longest prefix of `bytes` that does not end inside a UTF-8 sequence.
    static func completeUTF8Prefix(_ bytes: [UInt8]) -> Int {
        var index = bytes.count
        var back = 0
        while index > 0 && back < 4 {
            let byte = bytes[index - 1]
            if byte & 0xC0 != 0x80 {
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                return back + 1 >= length ? bytes.count : index - 1
            }
            index -= 1
            back += 1
        }
        return bytes.count
    }
}
