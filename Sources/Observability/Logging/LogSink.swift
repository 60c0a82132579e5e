/// Where a ``Logger``'s records go. Implementations are thread-safe: a logger value is copied
/// onto every event loop and all of them write to the same sink.
///
/// Every sink scrubs PII from string values and messages before a record is kept or written
/// (see ``LogScrubbing``): a caller that logs raw client text by mistake still leaks nothing.
public protocol LogSink: AnyObject, Sendable {
    /// Takes one record that passed the logger's level filter.
    func log(_ record: LogRecord)
}

/// Receives the bytes of rendered log lines: the shell's standard-error writer, or a buffer in
/// tests. Thread-safe; called with one whole line (ending in `\n`) at a time.
public protocol LogWriter: AnyObject, Sendable {
    /// Writes one line.
    func write(line: [UInt8])
}
