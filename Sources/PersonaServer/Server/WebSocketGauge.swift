import HTTPServer
import Synchronization
import WebSocket

/// Counts the open WebSockets of the endpoints beside the chat one (`/v1/echo`): the chat hubs
/// count their own connections, and plain HTTP requests — a Prometheus scrape among them — are
/// not connections anyone asked `/metrics` about. Wrap an endpoint's handler with
/// ``counting(_:)``.
public final class WebSocketGauge: Sendable {
    private let open = Atomic<Int>(0)

    /// Creates a gauge at zero.
    public init() {}

    /// WebSockets open now through handlers this gauge wrapped.
    public var count: Int { open.load(ordering: .relaxed) }

    /// `handler`, counted from its open to its close.
    public func counting(_ handler: any WebSocketHandler) -> any WebSocketHandler {
        CountedWebSocketHandler(handler, gauge: self)
    }

    fileprivate func opened() { open.add(1, ordering: .relaxed) }
    fileprivate func closed() { open.subtract(1, ordering: .relaxed) }
}

/// Forwards every event to the wrapped handler, counting the connection while it is open.
private final class CountedWebSocketHandler: WebSocketHandler {
    private let inner: any WebSocketHandler
    private let gauge: WebSocketGauge
    private var counted = false

    init(_ inner: any WebSocketHandler, gauge: WebSocketGauge) {
        self.inner = inner
        self.gauge = gauge
    }

    func webSocketDidOpen(_ socket: WebSocketHandle) {
        counted = true
        gauge.opened()
        inner.webSocketDidOpen(socket)
    }

    func webSocket(_ socket: WebSocketHandle, didReceive message: WebSocketMessage) {
        inner.webSocket(socket, didReceive: message)
    }

    func webSocketDidDrain(_ socket: WebSocketHandle) {
        inner.webSocketDidDrain(socket)
    }

    func webSocketDidClose(_ socket: WebSocketHandle, closure: WebSocketClosure) {
        if counted {
            counted = false
            gauge.closed()
        }
        inner.webSocketDidClose(socket, closure: closure)
    }
}
