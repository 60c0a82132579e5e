import Foundation
import Observability

/// Writes log lines to the process's standard error (what `persona serve` logs to).
public final class StandardErrorLogWriter: LogWriter {
    /// Creates the writer.
    public init() {}

    /// Writes one line.
    public func write(line: [UInt8]) {
        FileHandle.standardError.write(Data(line))
    }
}

/// The system's real-time clock, for log timestamps.
public struct SystemLogClock: LogClock {
    /// Creates the clock.
    public init() {}

    /// Now, from `Date`.
    public func now() -> LogTimestamp {
        LogTimestamp(nanosecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1e9))
    }
}
