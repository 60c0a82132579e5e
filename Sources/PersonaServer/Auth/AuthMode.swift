/// Whether the public doors require an API key (`persona serve --auth`).
public enum AuthMode: String, Sendable, CaseIterable {
    /// Anyone who reaches the port may chat; a valid key, when sent, still gives its tier and
    /// tenant. The default only on loopback.
    case off
    /// Every REST, OpenAI and `/v1/ws` request needs a valid key.
    case keys
}
