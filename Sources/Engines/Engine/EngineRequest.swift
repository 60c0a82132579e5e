import Personality

/// One message for an engine to answer.
public struct EngineRequest: Sendable {
    /// The personality, at the version the session started on.
    public var personality: Personality
    /// The user's message, already scrubbed of PII.
    public var message: String

    /// Creates a request.
    public init(personality: Personality, message: String) {
        self.personality = personality
        self.message = message
    }
}
