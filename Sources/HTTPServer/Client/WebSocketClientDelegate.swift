import WebSocket

/// What a ``WebSocketClient`` reports. All calls arrive on the client's loop.
public protocol WebSocketClientDelegate: AnyObject {
    /// The handshake succeeded; messages can be sent.
    func webSocketClientDidConnect(_ client: WebSocketClient)
    /// A complete message arrived.
    func webSocketClient(_ client: WebSocketClient, didReceive message: WebSocketMessage)
    /// The connection ended, or never opened: `failure` says why it failed before or during
    /// the handshake; otherwise `closure` says how an open connection ended. Called once.
    func webSocketClient(
        _ client: WebSocketClient, didEnd closure: WebSocketClosure?, failure: WebSocketClientError?)
}

/// Why a client connection failed before it opened.
public enum WebSocketClientError: Error, Sendable, CustomStringConvertible {
    /// TCP connect failed (refused, timed out, out of ports).
    case connect(String)
    /// The server's answer was not a valid 101 (status and reason).
    case handshake(String)
    /// The connection closed before the handshake completed.
    case closedDuringHandshake

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .connect(let why): "connect failed: \(why)"
        case .handshake(let why): "handshake refused: \(why)"
        case .closedDuringHandshake: "connection closed during the handshake"
        }
    }
}
