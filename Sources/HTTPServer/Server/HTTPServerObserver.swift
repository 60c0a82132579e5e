import Reactor
import WebSocket

/// What the server core reports to the application so abuse and failures can be counted and
/// logged (every door inherits it: the core sees every answer and every close). Called on the
/// connection's loop; keep it short.
public protocol HTTPServerObserver: Sendable {
    /// An error answer (status ≥ 400) was queued to `client`. `upgrade` when it refused a
    /// WebSocket upgrade (429 connection rate, 403 origin, 400/426 handshake, …).
    func httpErrorSent(status: Int, upgrade: Bool, client: SocketAddress?)
    /// A WebSocket connection of `client` ended as `closure` says.
    func webSocketClosed(_ closure: WebSocketClosure, client: SocketAddress?)
}
