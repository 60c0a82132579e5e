/// One WebSocket frame (RFC 6455 §5.2) with its payload already unmasked.
public struct WebSocketFrame: Sendable, Hashable {
    /// Whether this is the final fragment of a message (always true for control frames).
    public var fin: Bool
    /// The opcode.
    public var opcode: WebSocketOpcode
    /// The masking key the frame arrived with (client frames), or the key to mask with when
    /// encoding; nil for server frames.
    public var maskingKey: WebSocketMaskingKey?
    /// The application data, unmasked.
    public var payload: [UInt8]

    /// Creates a frame. RSV bits are always 0: we negotiate no extensions.
    public init(
        fin: Bool = true, opcode: WebSocketOpcode, maskingKey: WebSocketMaskingKey? = nil,
        payload: [UInt8] = []
    ) {
        self.fin = fin
        self.opcode = opcode
        self.maskingKey = maskingKey
        self.payload = payload
    }
}
