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
    /// Bot variables set during the session (`{bot name=value}`), over the personality's own.
    /// Kept per session: one conversation never sees another's changes.
    public var botVariables: [String: String] = [:]
    /// Global variables set during the session (`{env name=value}`), over `globals:`.
    public var globals: [String: String] = [:]
    /// The trigger that answered the latest message (`{get __lastmatch__}`), as written.
    public internal(set) var lastMatch: String?
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

    /// The engine-internal variable holding the last matched trigger.
    public static let lastMatchVariable = "__lastmatch__"

    /// A session variable as templates and tests see it: `__lastmatch__` is the last matched
    /// trigger; under `compat: rivescript` `topic` is the current topic.
    public func value(of name: String, compatibility: ScriptCompatibility) -> String? {
        if name == Self.lastMatchVariable, variables[name] == nil { return lastMatch }
        if compatibility == .rivescript, name == "topic" { return topic }
        return variables[name]
    }

    /// Records a finished turn in the history.
    func remember(input: String, reply: String) {
        inputs.insert(input, at: 0)
        replies.insert(reply, at: 0)
        if inputs.count > Self.historyLength { inputs.removeLast() }
        if replies.count > Self.historyLength { replies.removeLast() }
    }
}
