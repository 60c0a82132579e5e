/// A frame opcode (RFC 6455 §5.2, §11.8). The reserved values 3–7 and B–F never appear here:
/// the parser refuses them (1002) since no extension defines them.
public enum WebSocketOpcode: UInt8, Sendable, Hashable, CaseIterable {
    /// A continuation of a fragmented message.
    case continuation = 0x0
    /// The first frame of a text message (UTF-8).
    case text = 0x1
    /// The first frame of a binary message.
    case binary = 0x2
    /// Close (§5.5.1).
    case close = 0x8
    /// Ping (§5.5.2).
    case ping = 0x9
    /// Pong (§5.5.3).
    case pong = 0xA

    /// Control frames have the high bit of the opcode set (§5.5).
    public var isControl: Bool { rawValue & 0x8 != 0 }
}
