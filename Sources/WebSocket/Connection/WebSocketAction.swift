/// What the transport must do after the connection state machine handled an input. Actions
/// come in order and must be carried out in order.
public enum WebSocketAction: Sendable, Hashable {
    /// Write these bytes (one or more encoded frames) to the peer.
    case write([UInt8])
    /// Hand this complete message to the application.
    case deliver(WebSocketMessage)
    /// Hand this complete text message (validated UTF-8) to the application. Only with
    /// `WebSocketConnection.receive(_:now:into:sharingText:)`: the bytes share the frame
    /// parser's buffer, so the transport hands them on without a copy and drops the action
    /// before the next receive.
    case deliverText(ArraySlice<UInt8>)
    /// Close the TCP connection — after flushing earlier writes unless
    /// `closure.discardsPendingWrites`. No further input will be accepted.
    case closeTransport(WebSocketClosure)
}
