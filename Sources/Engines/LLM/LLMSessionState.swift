/// The `llm` engine's per-session state: what it learned when the session started, and the
/// exchanges so far (sent back as `history_turns`).
public final class LLMSessionState: EngineSessionState {
    /// The session's context.
    public let context: EngineSessionContext
    var memory: SessionMemory<ChatCompletionRequest.Turn>

    /// Earlier exchanges, oldest first; at most ``LLMSectionDecoder/maxHistoryTurns`` kept.
    public var history: [ChatCompletionRequest.Turn] { memory.history }

    init(context: EngineSessionContext) {
        self.context = context
        memory = SessionMemory(seed: context.seed, capacity: LLMSectionDecoder.maxHistoryTurns)
    }

    func remember(user: String, assistant: String) {
        guard !assistant.isEmpty else { return }
        memory.remember(.init(user: user, assistant: assistant))
    }

    func pick(_ count: Int) -> Int { memory.pick(count) }
}
