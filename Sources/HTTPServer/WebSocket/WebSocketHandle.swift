import Reactor
import WebSocket

/// Sends on one WebSocket connection from any thread. Calls made off the loop are carried to
/// it through `execute` and keep their order; after the connection closed they do nothing.
public final class WebSocketHandle: Sendable {
    private let connection: LoopBound<WebSocketServerConnection>
    /// The peer's address (the TCP peer: a proxy, when one is in front).
    public let remoteAddress: SocketAddress?
    /// The client's address: the TCP peer, or what a trusted proxy said the client is (see
    /// `HTTPServerConfiguration.trustedProxies`). Rate limits and logs key on this.
    public let clientAddress: SocketAddress?
    /// The subprotocol agreed in the handshake, if any.
    public let subprotocol: String?

    /// The loop the connection lives on.
    public var eventLoop: EventLoop { connection.loop }

    init(
        _ connection: WebSocketServerConnection, remoteAddress: SocketAddress?, clientAddress: SocketAddress?,
        subprotocol: String?
    ) {
        self.connection = LoopBound(connection, loop: connection.tcp.loop)
        self.remoteAddress = remoteAddress
        self.clientAddress = clientAddress
        self.subprotocol = subprotocol
    }

    private func perform(_ body: @escaping @Sendable (WebSocketServerConnection) -> Void) {
        let connection = self.connection
        if connection.loop.inEventLoop {
            body(connection.value)
        } else {
            connection.loop.execute { body(connection.value) }
        }
    }

    /// Sends a message (one frame).
    public func send(_ message: WebSocketMessage) {
        // The hot paths call straight through on the loop: going through `perform` would
        // allocate a closure context for every message.
        if connection.loop.inEventLoop {
            connection.value.send(message)
        } else {
            perform { $0.send(message) }
        }
    }

    /// Sends a text message.
    public func send(text: String) { send(.text(text)) }

    /// Sends a text message from bytes that are already valid UTF-8 (the caller's promise;
    /// JSON serialized from Swift strings always is), without converting through `String`.
    public func send(textUTF8 utf8: [UInt8]) {
        if connection.loop.inEventLoop {
            connection.value.send(textUTF8: utf8)
        } else {
            perform { $0.send(textUTF8: utf8) }
        }
    }

    /// Sends a binary message.
    public func send(binary: [UInt8]) { send(.binary(binary)) }

    /// Starts the close handshake; TCP closes when the peer answers or `closeTimeout` passes.
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        perform { $0.close(code: code, reason: reason) }
    }

    /// Bytes sent but not yet taken by the kernel. Loop thread only.
    public var queuedByteCount: Int { connection.value.tcp.bufferedByteCount }

    /// Whether the kernel refused bytes at the last flush, i.e. the peer is not keeping up;
    /// ``WebSocketHandler/webSocketDidDrain(_:)`` follows once everything has gone out. Loop
    /// thread only.
    public var isBackedUp: Bool { connection.value.tcp.isWritePending }

    /// Whether the connection still accepts messages. Loop thread only.
    public var isOpen: Bool { connection.value.isOpen }
}
