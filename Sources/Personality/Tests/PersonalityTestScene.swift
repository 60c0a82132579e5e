/// The state a test's session starts in (`given:`), set before its first turn: session
/// variables, the topic, and bot and global variables as if set during the conversation.
public struct PersonalityTestScene: Hashable, Sendable {
    /// Session variables (`vars:`).
    public var variables: [String: String]
    /// The topic the session starts in (`topic:`); `nil` keeps the engine's default.
    public var topic: String?
    /// Bot variables (`bot:`), over the personality's own.
    public var botVariables: [String: String]
    /// Global variables (`globals:`).
    public var globals: [String: String]

    /// Creates a scene.
    public init(
        variables: [String: String] = [:], topic: String? = nil, botVariables: [String: String] = [:],
        globals: [String: String] = [:]
    ) {
        self.variables = variables
        self.topic = topic
        self.botVariables = botVariables
        self.globals = globals
    }
}
