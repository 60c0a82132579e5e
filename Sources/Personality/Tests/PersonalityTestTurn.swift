/// One turn of an author test: a user message, and what the reply and the session variables
/// must be afterwards. A turn without a message only checks (variables, topic), for example
/// before the first message.
public struct PersonalityTestTurn: Hashable, Sendable {
    /// What the user says; `nil` for a turn that only checks.
    public var say: String?
    /// What the reply must be; `nil` to only check variables.
    public var expectation: ReplyExpectation?
    /// Session variables that must hold these values after the turn (`undefined` = unset).
    public var variables: [String: String]
    /// The topic the session must be in after the turn (`topic:`).
    public var topic: String?
    /// Where the turn is defined.
    public var location: SourceLocationBox

    /// Creates a turn.
    public init(
        say: String?, expectation: ReplyExpectation?, variables: [String: String] = [:], topic: String? = nil,
        location: SourceLocationBox
    ) {
        self.say = say
        self.expectation = expectation
        self.variables = variables
        self.topic = topic
        self.location = location
    }
}
