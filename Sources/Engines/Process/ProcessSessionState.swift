/// The `process` engine's per-session state: the variables the plugin last set and the
/// exchanges so far (sent back as `history_turns`).
public final class ProcessSessionState: EngineSessionState {
    /// The session's context.
    public let context: EngineSessionContext
    /// The variables the plugin returned with its last `end` line.
    public internal(set) var variables: [String: String] = [:]
    /// Earlier exchanges, oldest first; at most ``ProcessSectionDecoder/maxHistoryTurns`` kept.
    public internal(set) var history: [PluginMessage.Exchange] = []
    /// The session's random generator state (picks a fallback line).
    var random: UInt64

    init(context: EngineSessionContext) {
        self.context = context
        random = context.seed | 1
    }

    func remember(user: String, reply: String) {
        guard !reply.isEmpty else { return }
        history.append(.init(user: user, reply: reply))
        if history.count > ProcessSectionDecoder.maxHistoryTurns { history.removeFirst() }
    }

    func pick(_ count: Int) -> Int {
        random ^= random << 13
        random ^= random >> 7
        random ^= random << 17
        return Int(random % UInt64(max(1, count)))
    }
}
