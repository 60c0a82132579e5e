import Diagnostics

/// One thing the script engine did while answering, recorded for `persona explain`.
public enum ScriptTraceStep: Hashable, Sendable, CustomStringConvertible {
    /// An input was looked up (depth 0 = the user's message, more = a redirect).
    case lookup(text: String, normalized: String, topic: String, depth: Int)
    /// A trigger matched.
    case matched(trigger: String, at: SourceLocation, ruleTopic: String, level: Int, captures: [String])
    /// The rule's `after:` matched the bot's previous reply.
    case after(pattern: String, botCaptures: [String])
    /// Nothing matched in the topic.
    case noMatch(topic: String)
    /// A condition was evaluated.
    case condition(source: String, at: SourceLocation, left: String, right: String, held: Bool)
    /// A redirect was followed.
    case redirect(to: String, inline: Bool, depth: Int)
    /// A redirect was refused because `max_redirect_depth` was reached.
    case redirectLimit(depth: Int)
    /// A session variable changed.
    case set(name: String, value: String?)
    /// The topic changed.
    case topic(from: String, to: String)
    /// The fallback answered.
    case fallback
    /// Nothing answered and there is no fallback: the engine declined.
    case declined

    /// One readable line.
    public var description: String {
        switch self {
        case .lookup(let text, let normalized, let topic, let depth):
            let prefix = depth == 0 ? "input" : "redirected input"
            return "\(prefix) \"\(text)\" → [\(normalized)] in topic '\(topic)'"
        case .matched(let trigger, let location, let ruleTopic, let level, let captures):
            var line = "matched trigger \"\(trigger)\" at \(location) (topic '\(ruleTopic)'"
            if level > 0 { line += ", inherited at level \(level)" }
            line += ")"
            if !captures.isEmpty {
                line +=
                    "; captures: "
                    + captures.enumerated().map { "star\($0.offset + 1)=\"\($0.element)\"" }.joined(
                        separator: ", ")
            }
            return line
        case .after(let pattern, let botCaptures):
            var line = "after: the bot's previous reply matched \"\(pattern)\""
            if !botCaptures.isEmpty {
                line +=
                    "; captures: "
                    + botCaptures.enumerated().map { "botstar\($0.offset + 1)=\"\($0.element)\"" }.joined(
                        separator: ", ")
            }
            return line
        case .noMatch(let topic): return "no trigger matched in topic '\(topic)'"
        case .condition(let source, let location, let left, let right, let held):
            return
                "condition \"\(source)\" at \(location): \"\(left)\" vs \"\(right)\" → \(held ? "holds" : "does not hold")"
        case .redirect(let target, let inline, let depth):
            return "\(inline ? "inline redirect" : "redirect") to \"\(target)\" (depth \(depth))"
        case .redirectLimit(let depth): return "redirect refused: max_redirect_depth (\(depth)) reached"
        case .set(let name, let value): return "set \(name) = \(value.map { "\"\($0)\"" } ?? "undefined")"
        case .topic(let from, let to): return "topic '\(from)' → '\(to)'"
        case .fallback: return "fallback reply"
        case .declined: return "no reply and no fallback: the engine declines"
        }
    }
}
