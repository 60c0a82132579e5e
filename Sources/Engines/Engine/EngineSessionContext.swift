/// What an engine learns about a session when it starts.
public struct EngineSessionContext: Hashable, Sendable {
    /// The session's id (shown to templates as `{id}`).
    public var sessionID: String
    /// The seed of the session's random generator, so replies are reproducible in tests.
    public var seed: UInt64

    /// Creates a context.
    public init(sessionID: String, seed: UInt64) {
        self.sessionID = sessionID
        self.seed = seed
    }
}
