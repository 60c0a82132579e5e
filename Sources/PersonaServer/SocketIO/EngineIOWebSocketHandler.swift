import HTTPServer
import PersonaRuntime
import Reactor
import SocketIO
import WebSocket

/// The WebSocket transport of one Engine.IO session: either the session's first transport
/// (no sid: the session is created on this connection's loop) or a probe joining a polling
/// session (whose loop may be another: events are carried there).
final class EngineIOWebSocketHandler: WebSocketHandler {
    private enum Role {
        case opening(address: String, client: ClientIdentity?, addresses: SocketIOAddressCounter)
        /// `caller`: the key of the upgrade request (the session's must be the same).
        case joining(sid: String, caller: String?)
    }

    private let role: Role
    private let table: LoopBound<SocketIOSessionTable>
    /// The session's socket and this connection's generation there, once attached.
    private let attachment = AttachmentBox()

    init(
        opening address: String, client: ClientIdentity?, table: LoopBound<SocketIOSessionTable>,
        addresses: SocketIOAddressCounter
    ) {
        role = .opening(address: address, client: client, addresses: addresses)
        self.table = table
    }

    init(joining sid: String, caller: String?, table: LoopBound<SocketIOSessionTable>) {
        role = .joining(sid: sid, caller: caller)
        self.table = table
    }

    func webSocketDidOpen(_ socket: WebSocketHandle) {
        let attachment = self.attachment
        switch role {
        case .opening(let address, let client, let addresses):
            // The slot is taken only now: a handshake that failed never opened a session.
            guard addresses.acquire(address) else {
                socket.close(code: WebSocketCloseCode(rawValue: 1008), reason: "too many sessions from this address")
                return
            }
            // Same loop as the table: the upgrade ran on the loop that accepted it.
            let session = table.value.open(address: address, client: client, transport: .websocket)
            attachment.set(session, generation: session.startOnWebSocket(socket))
        case .joining(let sid, let caller):
            let table = self.table
            onOwner {
                guard let session = table.value.session(sid), session.client?.key == caller,
                    let generation = session.joinWebSocket(socket)
                else {
                    socket.close(code: .normalClosure, reason: "")
                    return
                }
                attachment.set(session, generation: generation)
            }
        }
    }

    func webSocket(_ socket: WebSocketHandle, didReceive message: WebSocketMessage) {
        // The hot path: a session's own WebSocket lives on the session's loop; no hop, no closure.
        if table.loop.inEventLoop {
            guard let (session, generation) = attachment.get() else { return }
            return session.webSocketReceived(message, generation: generation)
        }
        let attachment = self.attachment
        onOwner {
            guard let (session, generation) = attachment.get() else { return }
            session.webSocketReceived(message, generation: generation)
        }
    }

    func webSocket(_ socket: WebSocketHandle, didReceiveText utf8: UnsafeBufferPointer<UInt8>) {
        // The hot path: the text is decoded from the read's own bytes, with no String made.
        guard table.loop.inEventLoop else {
            // Carried to the session's loop: the bytes must outlive this call.
            return webSocket(socket, didReceive: .text(String(decoding: utf8, as: UTF8.self)))
        }
        guard let (session, generation) = attachment.get() else { return }
        session.webSocketReceived(text: utf8, generation: generation)
    }

    func webSocketDidClose(_ socket: WebSocketHandle, closure: WebSocketClosure) {
        let attachment = self.attachment
        onOwner {
            guard let (session, generation) = attachment.get() else { return }
            session.webSocketClosed(generation: generation)
        }
    }

    /// Runs `body` on the session's loop, in order with every other event of this socket.
    private func onOwner(_ body: @escaping () -> Void) {
        if table.loop.inEventLoop {
            body()
        } else {
            let bound = LoopBound(body, loop: table.loop)
            table.loop.execute { bound.value() }
        }
    }
}

/// The session a WebSocket is attached to; touched only on the session's loop.
private final class AttachmentBox {
    private var session: SocketIOSocket?
    private var generation = 0

    func set(_ session: SocketIOSocket, generation: Int) {
        self.session = session
        self.generation = generation
    }

    func get() -> (SocketIOSocket, Int)? {
        session.map { ($0, generation) }
    }
}
