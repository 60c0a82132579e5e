/// What the script engine remembers about one session: variables, the current topic, the
/// last inputs and replies, and the seeded random generator.
public final class ScriptSessionState: EngineSessionState {
    /// How many inputs and replies are remembered (`{input1}`…`{input9}`).
    public static let historyLength = 9

    /// Session variables (`{get}` / `{set}`); absent means undefined.
    public var variables: [String: String]
    /// The current topic.
    public var topic: String
    /// Earlier user messages, latest first (at most ``historyLength``).
    public package(set) var inputs: [String] = []
    /// Earlier bot replies, latest first (at most ``historyLength``).
    public package(set) var replies: [String] = []
    /// The random generator.
    public var random: SessionRandom
    /// The session id, for `{id}`.
    public let sessionID: String

    /// Creates the state of a new session.
    public init(
        sessionID: String = "", seed: UInt64 = 0, topic: String = ScriptTopic.defaultName,
        variables: [String: String] = [:]
    ) {
        self.sessionID = sessionID
        self.random = SessionRandom(seed: seed)
        self.topic = topic
        self.variables = variables
    }

    /// Records a finished turn in the history.
    func remember(input: String, reply: String) {
        inputs.insert(input, at: 0)
        replies.insert(reply, at: 0)
        if inputs.count > Self.historyLength { inputs.removeLast() }
        if replies.count > Self.historyLength { replies.removeLast() }
    }
}
