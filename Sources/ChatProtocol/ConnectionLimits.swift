/// The per-connection limits announced in `welcome`, so a client can stay inside them.
public struct ConnectionLimits: Hashable, Sendable {
    /// Largest client frame accepted, in bytes.
    public var maxFrameBytes: Int
    /// Most sessions one connection may hold at once.
    public var maxSessions: Int
    /// Most messages queued behind a streaming reply in one session.
    public var maxQueuedMessages: Int

    /// Creates the limits.
    public init(maxFrameBytes: Int, maxSessions: Int, maxQueuedMessages: Int) {
        self.maxFrameBytes = maxFrameBytes
        self.maxSessions = maxSessions
        self.maxQueuedMessages = maxQueuedMessages
    }
}
