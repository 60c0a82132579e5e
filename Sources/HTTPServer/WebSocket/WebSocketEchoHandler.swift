import WebSocket

/// Sends every message back as it came: text as text, binary as binary, after reassembly.
///
/// Serves `/v1/echo` (a conformance and load-test endpoint: the strict Python client and
/// `persona bench echo` talk to it) and the server's own tests.
public final class WebSocketEchoHandler: WebSocketHandler {
    /// The bound on a connection's unsent echoes that the budget does not cover (echoes of
    /// messages under the memory budget's threshold, which a peer that sends without reading
    /// piles up): 1 MiB. Past it the connection is dropped as a slow reader (close 1008,
    /// `outboundBufferOverflow`); exactly 1 MiB queued is kept. Pass it as the route's
    /// `maxOutboundBytes`.
    public static let maxUnreadEchoBytes = 1 << 20

    /// Creates a handler for one connection.
    public init() {}

    /// Echoes `message`.
    public func webSocket(_ socket: WebSocketHandle, didReceive message: WebSocketMessage) {
        socket.send(message)
    }
}
