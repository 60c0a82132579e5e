/// A small value-type logger, handed down from the shell to whatever needs to log (never
/// created inside a library): a label, a minimum level, fields every record carries, a sink
/// and a clock.
///
/// Messages are autoclosures, built only when the level passes, so a `trace` line in a hot
/// path costs one comparison when tracing is off.
///
/// ```swift
/// let logger = Logger(label: "persona.server", level: .info, sink: sink, clock: clock)
/// let sessionLogger = logger.with("session", .string(id))
/// sessionLogger.info("session started", ["kind": "bot", "personality": "captain"])
/// ```
public struct Logger: Sendable {
    /// What subsystem the lines come from.
    public var label: String
    /// Records below this level are dropped before their message is built.
    public var level: LogLevel
    /// Fields added to every record, before the call's own.
    public var fields: [LogField]
    /// Where records go.
    public let sink: any LogSink
    /// Where timestamps come from.
    public let clock: any LogClock

    /// Creates a logger.
    public init(
        label: String, level: LogLevel = .info, fields: [LogField] = [], sink: any LogSink,
        clock: any LogClock
    ) {
        self.label = label
        self.level = level
        self.fields = fields
        self.sink = sink
        self.clock = clock
    }

    /// This logger with one more field on every record.
    public func with(_ key: String, _ value: LogValue) -> Logger {
        var copy = self
        copy.fields.append(LogField(key, value))
        return copy
    }

    /// This logger with another label.
    public func labelled(_ label: String) -> Logger {
        var copy = self
        copy.label = label
        return copy
    }

    /// Whether a record at `level` would be written.
    public func isEnabled(_ level: LogLevel) -> Bool { level >= self.level }

    /// Logs at `level`; `message` is evaluated only if the level passes.
    public func log(
        _ level: LogLevel, _ message: @autoclosure () -> String,
        _ fields: KeyValuePairs<String, LogValue> = [:]
    ) {
        guard level >= self.level else { return }
        var all = self.fields
        for (key, value) in fields { all.append(LogField(key, value)) }
        sink.log(LogRecord(time: clock.now(), level: level, label: label, message: message(), fields: all))
    }

    /// Logs at `trace`.
    public func trace(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.trace, message(), fields)
    }

    /// Logs at `debug`.
    public func debug(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.debug, message(), fields)
    }

    /// Logs at `info`.
    public func info(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.info, message(), fields)
    }

    /// Logs at `warning`.
    public func warning(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:])
    {
        log(.warning, message(), fields)
    }

    /// Logs at `error`.
    public func error(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.error, message(), fields)
    }

    /// Logs a record with fields built at run time (the event helpers use this).
    public func log(_ level: LogLevel, _ message: @autoclosure () -> String, fields extra: [LogField]) {
        guard level >= self.level else { return }
        sink.log(
            LogRecord(
                time: clock.now(), level: level, label: label, message: message(), fields: self.fields + extra
            ))
    }
}
