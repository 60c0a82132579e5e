/// Why an engine could not answer.
public enum EngineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The personality names an engine no registry entry provides.
    case unknownEngine(String)
    /// The personality has no section for an engine that needs one.
    case missingSection(engine: String)
    /// Every engine in the personality's list declined.
    case noEngineAnswered
    /// An engine-specific failure, described for logs (never shown raw to end users).
    case failed(engine: String, reason: String)

    /// A sentence for logs and the CLI.
    public var description: String {
        switch self {
        case .unknownEngine(let name): return "unknown engine '\(name)'"
        case .missingSection(let engine): return "the personality has no '\(engine):' section"
        case .noEngineAnswered: return "no engine answered"
        case .failed(let engine, let reason): return "engine '\(engine)' failed: \(reason)"
        }
    }
}
