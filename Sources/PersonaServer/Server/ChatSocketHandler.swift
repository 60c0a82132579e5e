import HTTPServer
import PersonaRuntime
import Reactor
import WebSocket

/// The `/v1/ws` WebSocket handler: forwards the connection's events to its loop's
/// ``HubShell``. Binary frames are not part of the protocol and close the connection with
/// 1003 (RFC 6455 §7.4.1, "unsupported data").
final class ChatSocketHandler: WebSocketHandler {
    private let shells: [LoopBound<HubShell>]
    private var shell: HubShell?
    private var id: ConnectionID?
    /// Who an API key said the client is; nil: keyed by the client's address.
    private let client: ClientIdentity?

    init(shells: [LoopBound<HubShell>], client: ClientIdentity? = nil) {
        self.shells = shells
        self.client = client
    }

    func webSocketDidOpen(_ socket: WebSocketHandle) {
        let shell = shells[socket.eventLoop.index].value
        self.shell = shell
        id = shell.opened(socket, client: client)
    }

    func webSocket(_ socket: WebSocketHandle, didReceive message: WebSocketMessage) {
        guard let shell, let id else { return }
        switch message {
        case .text(let text): shell.received(text, on: id)
        case .binary: socket.close(code: WebSocketCloseCode(rawValue: 1003), reason: "text frames only")
        }
    }

    func webSocketDidDrain(_ socket: WebSocketHandle) {
        guard let shell, let id else { return }
        shell.reportBacklog(of: id)
    }

    func webSocketDidClose(_ socket: WebSocketHandle, closure: WebSocketClosure) {
        guard let shell, let id else { return }
        shell.closed(id)
    }
}
