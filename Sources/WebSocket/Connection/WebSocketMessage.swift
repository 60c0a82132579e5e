/// A complete data message, reassembled from its fragments (RFC 6455 §5.4, §6.2).
public enum WebSocketMessage: Sendable, Hashable {
    /// A text message, validated as UTF-8.
    case text(String)
    /// A binary message.
    case binary([UInt8])
}
