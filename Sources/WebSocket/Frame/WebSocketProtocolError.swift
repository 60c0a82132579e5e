/// Why a connection is failed (RFC 6455 §7.1.7); each case names the close code sent.
public enum WebSocketProtocolError: Error, Sendable, Hashable, CaseIterable {
    /// An RSV bit is set but no extension was negotiated (§5.2) — 1002.
    case reservedBitsSet
    /// Opcode 3–7 or B–F (§5.2) — 1002.
    case reservedOpcode
    /// A client frame without a mask (§5.1: the server MUST close) — 1002.
    case unmaskedClientFrame
    /// A server frame with a mask (§5.1: the client MUST close) — 1002.
    case maskedServerFrame
    /// A control frame with FIN clear (§5.5) — 1002.
    case fragmentedControlFrame
    /// A control frame payload over 125 bytes (§5.5) — 1002.
    case controlFrameTooLong
    /// A 64-bit payload length with its most significant bit set (§5.2) — 1002.
    case invalidPayloadLength
    /// A frame payload over `maxFrameSize`, detected from the header — 1009.
    case frameTooLarge
    /// A message over `maxMessageSize`, detected from the frame header — 1009.
    case messageTooLarge
    /// A large message that the server-wide ``WebSocketMemoryBudget`` cannot take now,
    /// detected from the frame header — 1009 (retrying later may succeed).
    case memoryBudgetExhausted
    /// A continuation frame with no message in progress (§5.4) — 1002.
    case unexpectedContinuation
    /// A new text/binary frame while a fragmented message is in progress (§5.4) — 1002.
    case expectedContinuation
    /// Invalid UTF-8 in a text message (§8.1) or in a close reason (§5.5.1) — 1007.
    case invalidUTF8
    /// A close frame with a 1-byte payload (§5.5.1) — 1002.
    case invalidClosePayload
    /// A close code not allowed on the wire (§7.4) — 1002.
    case invalidCloseCode

    /// The close code that reports this error to the peer.
    public var closeCode: WebSocketCloseCode {
        switch self {
        case .frameTooLarge, .messageTooLarge, .memoryBudgetExhausted: .messageTooBig
        case .invalidUTF8: .invalidPayloadData
        default: .protocolError
        }
    }

    /// A short reason for the close frame (ASCII, well under the 123-byte reason limit).
    public var reason: String {
        switch self {
        case .reservedBitsSet: "reserved bits set"
        case .reservedOpcode: "reserved opcode"
        case .unmaskedClientFrame: "client frames must be masked"
        case .maskedServerFrame: "server frames must not be masked"
        case .fragmentedControlFrame: "fragmented control frame"
        case .controlFrameTooLong: "control frame too long"
        case .invalidPayloadLength: "invalid payload length"
        case .frameTooLarge: "frame too large"
        case .messageTooLarge: "message too large"
        case .memoryBudgetExhausted: "server busy with large messages; retry later"
        case .unexpectedContinuation: "continuation without a message"
        case .expectedContinuation: "expected a continuation frame"
        case .invalidUTF8: "invalid UTF-8"
        case .invalidClosePayload: "invalid close payload"
        case .invalidCloseCode: "invalid close code"
        }
    }
}
