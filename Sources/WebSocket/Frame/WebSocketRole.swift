/// Which end of the connection we are; it decides the masking rule (RFC 6455 §5.1, §5.3).
public enum WebSocketRole: Sendable, Hashable {
    /// We accept connections: incoming frames MUST be masked, ours MUST NOT be.
    case server
    /// We connect: incoming frames MUST NOT be masked, ours MUST be.
    case client
}
