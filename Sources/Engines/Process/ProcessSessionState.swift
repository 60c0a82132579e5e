/// The `process` engine's per-session state: the variables the plugin last set and the
/// exchanges so far (sent back as `history_turns`).
public final class ProcessSessionState: EngineSessionState {
    /// The session's context.
    public let context: EngineSessionContext
    /// The variables the plugin returned with its last `end` line.
    public internal(set) var variables: [String: String] = [:]
    var memory: SessionMemory<PluginMessage.Exchange>

    /// Earlier exchanges, oldest first; at most ``ProcessSectionDecoder/maxHistoryTurns`` kept.
    public var history: [PluginMessage.Exchange] { memory.history }

    init(context: EngineSessionContext) {
        self.context = context
        memory = SessionMemory(seed: context.seed, capacity: ProcessSectionDecoder.maxHistoryTurns)
    }

    func remember(user: String, reply: String) {
        guard !reply.isEmpty else { return }
        memory.remember(.init(user: user, reply: reply))
    }

    func pick(_ count: Int) -> Int { memory.pick(count) }
}
