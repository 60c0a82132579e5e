import PersonaRuntime

/// A point-in-time view of the chat service across every hub.
public struct ChatServerStatistics: Sendable {
    /// Sessions held (matching, active or ending).
    public var sessions = 0
    /// Chat connections open.
    public var connections = 0
    /// Every hub's counters, summed.
    public var counters = HubCounters()

    /// An empty view.
    public init() {}
}
