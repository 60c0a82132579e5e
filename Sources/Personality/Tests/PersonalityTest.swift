/// A conversation the author expects, run by `persona test`: what the user says each turn
/// and what the bot must answer.
public struct PersonalityTest: Hashable, Sendable {
    /// A name for reports (defaults to the first thing said).
    public var name: String
    /// The seed for the session's random generator, so random replies are reproducible.
    public var seed: UInt64?
    /// The state the session starts in (`given:`); `nil` for a fresh session.
    public var scene: PersonalityTestScene?
    /// The turns, in order.
    public var turns: [PersonalityTestTurn]
    /// Where the test is defined.
    public var location: SourceLocationBox

    /// Creates a test.
    public init(
        name: String, seed: UInt64? = nil, scene: PersonalityTestScene? = nil, turns: [PersonalityTestTurn],
        location: SourceLocationBox
    ) {
        self.name = name
        self.seed = seed
        self.scene = scene
        self.turns = turns
        self.location = location
    }
}
