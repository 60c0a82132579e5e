import Diagnostics
import Personality
import YAML

/// Decodes and checks the `process:` section.
public struct ProcessSectionDecoder: EngineSectionDecoder {
    /// Most worker processes per pool.
    public static let maxWorkers = 32
    /// Most earlier exchanges sent along.
    public static let maxHistoryTurns = 200
    /// Largest `max_queue`.
    public static let maxQueueLimit = 10_000
    /// Largest `max_line_bytes` (and `max_reply_bytes`): 16 MiB.
    public static let maxBytesLimit = 16 << 20

    /// `process`.
    public var engineName: String { "process" }

    /// Creates the decoder.
    public init() {}

    /// Decodes the section, reporting every problem with its location.
    public func decodeSection(_ node: YAMLNode, context: inout DecodingContext) -> (any EngineSection)? {
        guard var fields = MappingFields(node, "process", context: &context) else { return nil }
        var argv: [String]?
        if let commandNode = fields.required("command", in: "process", context: &context) {
            if let single = commandNode.scalar?.text, commandNode.sequence == nil {
                argv = single.isEmpty ? nil : [single]
            } else {
                argv = context.strings(commandNode, "command")
            }
            if argv?.isEmpty ?? true || argv?.first?.isEmpty == true {
                context.error(
                    "empty", at: commandNode, "'command' needs a program: a string or a non-empty list")
                argv = nil
            }
        }
        let folder = Self.folder(of: context.file)
        var directory = folder
        if let directoryNode = fields.value("working_directory"),
            let text = context.nonEmptyString(directoryNode, "working_directory")
        {
            directory = Self.resolve(text, against: folder)
        }
        var environment: [String: String] = [:]
        if let envNode = fields.value("env") {
            if let pairs = envNode.mapping {
                for pair in pairs {
                    guard let key = pair.key.scalar?.text, !key.isEmpty, !key.contains("=") else {
                        context.error(
                            "bad-env", at: pair.key,
                            "an environment variable name must be non-empty, without '='")
                        continue
                    }
                    if let value = context.string(pair.value, key) { environment[key] = value }
                }
            } else {
                context.error(
                    "wrong-type", at: envNode,
                    "'env' must be a mapping of names to strings, not \(envNode.kindDescription)")
            }
        }
        let workers = fields.int("workers", range: 1...Self.maxWorkers, context: &context) ?? 2
        let timeout =
            fields.duration("timeout", range: .milliseconds(10)...(.seconds(3_600)), context: &context)
            ?? .seconds(10)
        let maxQueue = fields.int("max_queue", range: 0...Self.maxQueueLimit, context: &context) ?? 64
        let maxLine =
            fields.int("max_line_bytes", range: 64...Self.maxBytesLimit, context: &context) ?? (64 << 10)
        let maxReply =
            fields.int("max_reply_bytes", range: 1...Self.maxBytesLimit, context: &context) ?? (256 << 10)
        let restartDelay =
            fields.duration("restart_delay", range: .zero...(.seconds(60)), context: &context)
            ?? .milliseconds(100)
        let maxRestartDelay =
            fields.duration("max_restart_delay", range: .zero...(.seconds(600)), context: &context)
            ?? .seconds(5)
        let idleStop =
            fields.duration("idle_stop", range: .seconds(1)...(.seconds(86_400)), context: &context)
            ?? .seconds(600)
        let historyTurns =
            fields.int("history_turns", range: 0...Self.maxHistoryTurns, context: &context) ?? 10
        var fallback: [String] = []
        if let fallbackNode = fields.value("fallback") {
            if let single = fallbackNode.scalar?.text, fallbackNode.sequence == nil {
                fallback = [single]
            } else if let list = context.strings(fallbackNode, "fallback") {
                fallback = list
            }
        }
        fields.reportUnknownKeys(in: "process", context: &context)
        guard let argv else { return nil }
        let command = PluginCommand(
            executable: argv[0], arguments: Array(argv.dropFirst()), environment: environment,
            workingDirectory: directory)
        return ProcessSection(
            pool: ProcessPoolConfiguration(
                command: command, workers: workers, timeout: timeout, maxQueue: maxQueue,
                maxLineBytes: maxLine,
                maxReplyBytes: maxReply, restartDelay: restartDelay,
                maxRestartDelay: max(restartDelay, maxRestartDelay),
                idleStop: idleStop),
            historyTurns: historyTurns, fallback: fallback)
    }

    /// The folder of the file being decoded (`.` for a bare name).
    static func folder(of file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "." }
        return slash == file.startIndex ? "/" : String(file[..<slash])
    }

    /// `path` resolved against `folder` unless it is absolute.
    static func resolve(_ path: String, against folder: String) -> String {
        if path.hasPrefix("/") { return path }
        if path == "." { return folder }
        return folder == "/" ? "/" + path : folder + "/" + path
    }
}
