import JSON
import Observability
import Synchronization
import Testing

/// Counts how often a message was built, to show messages below the level never are.
private final class BuildCounter: Sendable {
    let count = Mutex(0)
    func message() -> String {
        count.withLock { $0 += 1 }
        return "built"
    }
}

@Suite("Logger: levels, lazy messages, fields, scrubbing at the sink")
struct LoggerTests {
    private let instant = LogTimestamp(nanosecondsSinceEpoch: 1_763_726_829_123_456_789)

    private func logger(_ sink: any LogSink, level: LogLevel = .info) -> Logger {
        Logger(label: "persona.test", level: level, sink: sink, clock: FixedLogClock(instant))
    }

    @Test("drops records below its level without building their message")
    func levels() {
        let sink = MemoryLogSink()
        let counter = BuildCounter()
        let log = logger(sink, level: .warning)
        log.debug(counter.message())
        log.info(counter.message())
        log.warning(counter.message())
        log.error(counter.message())
        #expect(sink.records.map(\.level) == [.warning, .error])
        #expect(counter.count.withLock { $0 } == 2)
    }

    @Test(
        "parses level names, accepting warn",
        arguments: [("trace", LogLevel.trace), ("warn", .warning), ("error", .error)])
    func levelNames(name: String, level: LogLevel) {
        #expect(LogLevel(name: name) == level)
        #expect(LogLevel(name: "loud") == nil)
    }

    @Test("carries the logger's fields before the call's")
    func fields() {
        let sink = MemoryLogSink()
        logger(sink).with("loop", 2).info("hello", ["n": 1, "ok": true])
        #expect(sink.records.first?.fields == [LogField("loop", 2), LogField("n", 1), LogField("ok", true)])
    }

    @Test(
        "writes RFC 3339 UTC timestamps with milliseconds",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00.000Z"), (1_763_726_829_123_456_789, "2025-11-21T12:07:09.123Z"),
            (951_782_400_000_000_000, "2000-02-29T00:00:00.000Z"), (-1_000_000, "1969-12-31T23:59:59.999Z"),
        ])
    func timestamps(nanoseconds: Int64, text: String) {
        #expect(LogTimestamp(nanosecondsSinceEpoch: nanoseconds).description == text)
    }

    @Test("JSON lines parse as JSON with fixed keys first, and a field cannot forge the level")
    func jsonLines() throws {
        let writer = MemoryLogWriter()
        let log = logger(StreamLogSink(format: .json, writer: writer))
        log.info("a \"quoted\"\nmessage", ["level": "error", "count": 3, "ratio": 0.5])
        let lines = writer.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty)
        let object = try JSONValue(parsing: String(lines[0]))
        #expect(
            object.objectValue?.keys == ["ts", "level", "logger", "msg", "field_level", "count", "ratio"])
        #expect(object["ts"] == "2025-11-21T12:07:09.123Z")
        #expect(object["level"] == "info")
        #expect(object["msg"] == "a \"quoted\"\nmessage")
        #expect(object["count"] == 3)
        #expect(object["ratio"] == 0.5)
    }

    @Test("logfmt quotes values with spaces, quotes or newlines and keeps one record on one line")
    func logfmt() {
        let writer = MemoryLogWriter()
        logger(StreamLogSink(format: .logfmt, writer: writer)).warning(
            "reload rejected", ["file": "a b.yaml", "why": "x=\"y\"\nz", "n": 2, "empty": ""])
        #expect(
            writer.text
                == #"ts=2025-11-21T12:07:09.123Z level=warning logger=persona.test msg="reload rejected" file="a b.yaml" why="x=\"y\"\nz" n=2 empty="""#
                + "\n")
    }

    @Test("scrubs PII from the message and every string value in every format")
    func scrubbing() throws {
        for format in LogFormat.allCases {
            let writer = MemoryLogWriter()
            let log = logger(StreamLogSink(format: format, writer: writer))
            log.error(
                "mail jane.doe@example.com now",
                ["card": "4111 1111 1111 1111", "who": "call +1 415 555 0100"])
            let text = writer.text
            #expect(!text.contains("jane.doe@example.com"), "\(format): \(text)")
            #expect(!text.contains("4111 1111 1111 1111"), "\(format): \(text)")
            #expect(!text.contains("555 0100"), "\(format): \(text)")
            #expect(text.contains("[EMAIL]"), "\(format): \(text)")
        }
        let memory = MemoryLogSink()
        logger(memory).info("x", ["email": "bob@example.org"])
        #expect(memory.records.first?["email"] == "[EMAIL]")
    }

    @Test("a value too large to scrub is replaced, never written raw")
    func failClosed() {
        let sink = MemoryLogSink(scrubbing: LogScrubbing(configuration: ScrubberConfigurationForTests.tiny))
        logger(sink).info("short", ["text": "much longer than sixteen bytes"])
        #expect(sink.records.first?["text"] == "[unscrubbable 30 bytes]")
        #expect(sink.records.first?.message == "short")
    }

    @Test("one line per session lifecycle event, never with message text")
    func sessionEvents() {
        let sink = MemoryLogSink()
        let log = logger(sink)
        log.session(.started, id: "s-1", kind: "random")
        log.session(
            .fallback, id: "s-1", kind: "bot", personality: "captain", version: "00ff", waitedSeconds: 10)
        log.session(.ended, id: "s-1", reason: "personality_removed")
        #expect(sink.records.map(\.message) == ["session started", "session fallback", "session ended"])
        #expect(sink.records.map { $0["event"] } == ["session_started", "session_fallback", "session_ended"])
        #expect(sink.records[1]["personality"] == "captain" && sink.records[1]["waited_s"] == 10.0)
        #expect(sink.records[2]["reason"] == "personality_removed")
    }

    @Test("one line per reload: info when applied, warning with the first error when rejected")
    func reloadEvents() {
        let sink = MemoryLogSink()
        let log = logger(sink)
        log.reload(
            ReloadLogSummary(
                trigger: "sighup", applied: true, dryRun: false, errors: 0, added: 1, removed: 0, changed: 2,
                version: "ab", buildSeconds: 0.2, swapSeconds: 0.001))
        log.reload(
            ReloadLogSummary(
                trigger: "admin", applied: false, dryRun: false, errors: 2, added: 0, removed: 0, changed: 0,
                version: "ab", buildSeconds: 0.1, swapSeconds: 0, firstError: "a.yaml:3:5: error: bad"))
        #expect(sink.records.map(\.level) == [.info, .warning])
        #expect(sink.records.map { $0["result"] } == ["ok", "rejected"])
        #expect(sink.records[0]["changed"] == 2)
        #expect(sink.records[1]["first_error"] == "a.yaml:3:5: error: bad")
    }
}
