/// What the transport must do after the connection state machine handled an input. Actions
/// come in order and must be carried out in order.
public enum WebSocketAction: Sendable, Hashable {
    /// Write these bytes (one or more encoded frames) to the peer.
    case write([UInt8])
    /// Hand this complete message to the application.
    case deliver(WebSocketMessage)
    /// Close the TCP connection — after flushing earlier writes unless
    /// `closure.discardsPendingWrites`. No further input will be accepted.
    case closeTransport(WebSocketClosure)
}
