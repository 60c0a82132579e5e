import Synchronization

/// Keeps scrubbed records in memory, for tests (and for the server's tests of what it logs).
/// It scrubs exactly as ``StreamLogSink`` does, so a test can show that no raw PII survives.
public final class MemoryLogSink: LogSink {
    private let stored = Mutex<[LogRecord]>([])
    private let scrubbing: LogScrubbing

    /// Creates an empty sink.
    public init(scrubbing: LogScrubbing = LogScrubbing()) {
        self.scrubbing = scrubbing
    }

    /// Stores `record`, scrubbed.
    public func log(_ record: LogRecord) {
        let clean = scrubbing.scrub(record)
        stored.withLock { $0.append(clean) }
    }

    /// Every record so far, oldest first.
    public var records: [LogRecord] { stored.withLock { $0 } }

    /// Every record rendered in `format`, as the stream sink would write it.
    public func lines(_ format: LogFormat) -> [String] { records.map(format.render) }
}

/// A ``LogWriter`` that collects lines in memory (tests, and tools that print logs later).
public final class MemoryLogWriter: LogWriter {
    private let buffer = Mutex<[UInt8]>([])

    /// Creates an empty writer.
    public init() {}

    /// Appends `line`.
    public func write(line: [UInt8]) { buffer.withLock { $0.append(contentsOf: line) } }

    /// Everything written, as text.
    public var text: String { String(decoding: buffer.withLock { $0 }, as: UTF8.self) }
}
