/// One log event as the sink receives it: already filtered by level, message built.
public struct LogRecord: Hashable, Sendable {
    /// When it happened, from the logger's injected ``LogClock``.
    public var time: LogTimestamp
    /// How much it matters.
    public var level: LogLevel
    /// The logger's label (`persona.server`, `persona.reload`, …).
    public var label: String
    /// The human-readable message.
    public var message: String
    /// Structured fields in order: the logger's own, then the call's.
    public var fields: [LogField]

    /// Creates a record.
    public init(time: LogTimestamp, level: LogLevel, label: String, message: String, fields: [LogField]) {
        self.time = time
        self.level = level
        self.label = label
        self.message = message
        self.fields = fields
    }

    /// The value of the last field named `key`, if any.
    public subscript(key: String) -> LogValue? {
        fields.last(where: { $0.key == key })?.value
    }
}

/// One key and value of a structured log record.
public struct LogField: Hashable, Sendable {
    /// The key, a constant chosen by the code (never user input, so never scrubbed).
    public var key: String
    /// The value.
    public var value: LogValue

    /// Creates a field.
    public init(_ key: String, _ value: LogValue) {
        self.key = key
        self.value = value
    }
}
