/// Why the script engine answered what it did.
public struct ScriptExplanation: Hashable, Sendable, CustomStringConvertible {
    /// The reply, or `nil` when the engine declined.
    public var reply: String?
    /// What happened, in order.
    public var steps: [ScriptTraceStep]

    /// Creates an explanation.
    public init(reply: String?, steps: [ScriptTraceStep]) {
        self.reply = reply
        self.steps = steps
    }

    /// The steps, one per line, then the reply.
    public var description: String {
        var lines = steps.map { "  • \($0)" }
        lines.append(reply.map { "reply: \($0)" } ?? "no reply (declined)")
        return lines.joined(separator: "\n")
    }
}
