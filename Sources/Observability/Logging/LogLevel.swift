/// How much a log line matters, lowest first. A ``Logger`` drops records below its level
/// before their message is even built.
public enum LogLevel: Int, Comparable, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// Step-by-step detail for chasing one bug.
    case trace
    /// Detail useful while developing; libraries log at this level or below.
    case debug
    /// Normal operation worth a line: a session started, a reload finished.
    case info
    /// Something unexpected that the server handled.
    case warning
    /// Something failed.
    case error

    /// The lowercase name written in log lines and accepted by `--log-level`.
    public var description: String {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    /// Parses a level name (`warn` is accepted for `warning`).
    public init?(name: String) {
        if name == "warn" {
            self = .warning
            return
        }
        guard let level = LogLevel.allCases.first(where: { $0.description == name }) else { return nil }
        self = level
    }

    /// Orders by severity.
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
