/// The `llm` engine's per-session state: what it learned when the session started, and the
/// exchanges so far (sent back as `history_turns`).
public final class LLMSessionState: EngineSessionState {
    /// The session's context.
    public let context: EngineSessionContext
    /// Earlier exchanges, oldest first; at most ``LLMSectionDecoder/maxHistoryTurns`` kept.
    public internal(set) var history: [ChatCompletionRequest.Turn] = []
    /// The session's random generator state (picks a fallback line).
    var random: UInt64

    init(context: EngineSessionContext) {
        self.context = context
        random = context.seed | 1
    }

    func remember(user: String, assistant: String) {
        guard !assistant.isEmpty else { return }
        history.append(.init(user: user, assistant: assistant))
        if history.count > LLMSectionDecoder.maxHistoryTurns { history.removeFirst() }
    }

    func pick(_ count: Int) -> Int {
        random ^= random << 13
        random ^= random >> 7
        random ^= random << 17
        return Int(random % UInt64(max(1, count)))
    }
}
