import Policies

/// The scrubbing step every sink runs: the message and every string value go through a
/// ``Policies/Scrubber`` so no raw PII reaches a log line.
///
/// Failure is closed, like the chat pipeline's: a value the scrubber refuses (over its input
/// limit) is replaced by `[unscrubbable N bytes]` rather than written raw.
public struct LogScrubbing: Sendable {
    /// The scrubber's settings.
    public let scrubber: Scrubber

    /// Creates the step with `configuration` (labels such as `[EMAIL]` by default).
    public init(configuration: ScrubberConfiguration = ScrubberConfiguration()) {
        self.scrubber = Scrubber(configuration: configuration)
    }

    /// `record` with its message and string values scrubbed. Keys are constants chosen by
    /// the code and are left alone.
    public func scrub(_ record: LogRecord) -> LogRecord {
        var record = record
        record.message = scrub(record.message)
        for index in record.fields.indices {
            if case .string(let text) = record.fields[index].value {
                record.fields[index].value = .string(scrub(text))
            }
        }
        return record
    }

    /// One text scrubbed (a fresh copy of the scrubber, so this is safe from any thread).
    public func scrub(_ text: String) -> String {
        var copy = scrubber
        do {
            return try copy.scrub(text)
        } catch {
            return "[unscrubbable \(text.utf8.count) bytes]"
        }
    }
}
