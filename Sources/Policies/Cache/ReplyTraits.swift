/// What the engine reports about how a reply was produced; decides whether it may be cached.
public struct ReplyTraits: Hashable, Sendable {
    /// The reply involved a random choice (array reply, weighted pick, llm sampling).
    public var usedRandomness: Bool
    /// Producing the reply changed session variables or topic.
    public var changedSessionState: Bool

    /// Creates traits; both default to false (a deterministic, side-effect-free reply).
    public init(usedRandomness: Bool = false, changedSessionState: Bool = false) {
        self.usedRandomness = usedRandomness
        self.changedSessionState = changedSessionState
    }
}
