import Foundation
import JSON
import Testing

/// Throughput of the parser, serializer and writer, run by hand — never as part of the suite:
///
///     PERSONA_BENCHMARK=1 swift test -c release --filter JSONBenchmark
///
/// (`PERSONA_BENCHMARK_ROUNDS=300` lengthens the parse and serialize loops, for profiling.)
///
/// Prints MB/s for parsing and serializing a ~1 MB document shaped like Persona's traffic
/// (chat frames with ASCII, escaped and non-ASCII text, integers and doubles), and frames per
/// second for building a token-delta frame with `JSONWriter`. Times are the thread's CPU time,
/// not wall time, so the figures hold steady on a machine shared with other builds.
enum JSONBenchmark {
    /// A document of chat-like frames, about `targetBytes` long (kept under the 1 MiB default input limit).
    static func corpus(targetBytes: Int) -> JSONValue {
        var frames: [JSONValue] = []
        var size = 0
        var index: Int64 = 0
        while size < targetBytes {
            let frame: JSONValue = [
                "type": "reply.delta",
                "session": .string("s-\(index % 97)-4f1c2a"),
                "seq": .integer(index),
                "personality": "captain-redbeard",
                "text": .string(
                    index % 3 == 0
                        ? "Ahoy, \"matey\"!\nFair winds ☠️ — ye be welcome." : "Arr, what be yer name?"),
                "score": .double(Double(index) / 7),
                "final": .bool(index % 10 == 0),
                "meta": ["tokens": [1, 2, 3, 5, 8], "cached": nil],
            ]
            size += frame.serializedBytes().count + 1
            frames.append(frame)
            index += 1
        }
        return .array(frames)
    }

    /// Runs every measurement and returns one line per result.
    static func run() throws -> [String] {
        let document = corpus(targetBytes: 1_000_000)
        let bytes = document.serializedBytes()
        let megabytes = Double(bytes.count) / 1_000_000
        let clock = ThreadCPUClock()
        let rounds = Int(ProcessInfo.processInfo.environment["PERSONA_BENCHMARK_ROUNDS"] ?? "") ?? 30
        var lines: [String] = ["document: \(bytes.count) bytes, \(document.arrayValue?.count ?? 0) frames"]

        let parser = JSONParser()
        var parsed = JSONValue.null
        let parseTime = try clock.measure {
            for _ in 0..<rounds { parsed = try parser.parse(bytes) }
        }
        precondition(parsed == document)
        lines.append("parse:      \(rate(megabytes * Double(rounds), parseTime)) MB/s")

        var written = 0
        let serializeTime = clock.measure {
            for _ in 0..<rounds { written &+= document.serializedBytes().count }
        }
        precondition(written == bytes.count * rounds)
        lines.append("serialize:  \(rate(megabytes * Double(rounds), serializeTime)) MB/s")

        let frames = 1_000_000
        var writer = JSONWriter(capacity: 256)
        var total = 0
        let writerTime = clock.measure {
            for sequence in 0..<frames {
                writer.removeAll()
                writer.beginObject()
                writer.key("type")
                writer.string("reply.delta")
                writer.key("seq")
                writer.int(sequence)
                writer.key("text")
                writer.string("Arr, ")
                writer.endObject()
                total &+= writer.bytes.count
            }
        }
        precondition(total > 0)
        lines.append("JSONWriter: \(rate(Double(frames) / 1_000_000, writerTime)) million frames/s")
        return lines
    }

    private static func rate(_ amount: Double, _ seconds: Double) -> String {
        String(format: "%.1f", amount / seconds)
    }

    /// Measures the calling thread's CPU time in seconds.
    struct ThreadCPUClock {
        func measure(_ work: () throws -> Void) rethrows -> Double {
            let start = now()
            try work()
            return now() - start
        }

        private func now() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
    }
}

@Suite("JSON benchmark (by hand only)")
struct JSONBenchmarkRunner {
    @Test(
        "measures parse, serialize and writer throughput",
        .enabled(if: ProcessInfo.processInfo.environment["PERSONA_BENCHMARK"] != nil))
    func benchmark() throws {
        for line in try JSONBenchmark.run() { print(line) }
    }
}
