import WebSocket

/// Sends every message back as it came: text as text, binary as binary, after reassembly.
///
/// Serves `/v1/echo` (a conformance and load-test endpoint: the strict Python client and
/// `persona bench echo` talk to it) and the server's own tests.
public final class WebSocketEchoHandler: WebSocketHandler {
    /// Creates a handler for one connection.
    public init() {}

    /// Echoes `message`.
    public func webSocket(_ socket: WebSocketHandle, didReceive message: WebSocketMessage) {
        socket.send(message)
    }
}
