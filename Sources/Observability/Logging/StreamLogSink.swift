import Synchronization

/// Renders each record as one line (JSON Lines or logfmt) and hands it to a ``LogWriter``,
/// after scrubbing PII from the message and every string value.
///
/// A lock keeps lines whole when several loops log at once; the scrub and the rendering run
/// outside it, so the lock covers only the hand-over to the writer.
public final class StreamLogSink: LogSink {
    /// The line format.
    public let format: LogFormat
    private let writer: any LogWriter
    private let scrubbing: LogScrubbing
    private let order = Mutex(())

    /// Creates a sink writing `format` lines to `writer`.
    public init(format: LogFormat, writer: any LogWriter, scrubbing: LogScrubbing = LogScrubbing()) {
        self.format = format
        self.writer = writer
        self.scrubbing = scrubbing
    }

    /// Scrubs, renders and writes `record`.
    public func log(_ record: LogRecord) {
        let line = Array(format.render(scrubbing.scrub(record)).utf8)
        order.withLock { _ in writer.write(line: line) }
    }
}
