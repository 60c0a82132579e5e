/// One turn of an author test: a user message, and what the reply and the session variables
/// must be afterwards.
public struct PersonalityTestTurn: Hashable, Sendable {
    /// What the user says.
    public var say: String
    /// What the reply must be; `nil` to only check variables.
    public var expectation: ReplyExpectation?
    /// Session variables that must hold these values after the turn (`undefined` = unset).
    public var variables: [String: String]
    /// Where the turn is defined.
    public var location: SourceLocationBox

    /// Creates a turn.
    public init(say: String, expectation: ReplyExpectation?, variables: [String: String] = [:], location: SourceLocationBox) {
        self.say = say
        self.expectation = expectation
        self.variables = variables
        self.location = location
    }
}
