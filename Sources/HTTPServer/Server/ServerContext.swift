import Reactor
import WebSocket

/// What every connection of one server shares: configuration, routes, and per-loop state.
final class ServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let router: HTTPRouter
    /// Indexed by `EventLoop.index`.
    let perLoop: [LoopBound<LoopState>]
    /// The budget every WebSocket connection charges its large inbound messages to.
    let memoryBudget: WebSocketMemoryBudget

    init(configuration: HTTPServerConfiguration, router: HTTPRouter, group: EventLoopGroup) {
        self.configuration = configuration
        self.router = router
        memoryBudget = WebSocketMemoryBudget(
            limit: configuration.webSocket.memoryBudget, threshold: configuration.webSocket.memoryBudgetThreshold)
        perLoop = group.loops.map { LoopBound(LoopState(), loop: $0) }
    }

    /// This loop's state; call on `loop`.
    func state(for loop: EventLoop) -> LoopState { perLoop[loop.index].value }
}

/// A connection the server can ask to wind down for a graceful shutdown.
protocol DrainableConnection: AnyObject {
    /// Stop taking new work; close once what is in flight is done.
    func beginDrain()
    /// The grace period is over: close now.
    func forceClose()
}

/// Per-loop server state: the live connections (for draining) and the Date cache.
final class LoopState {
    var connections: [ObjectIdentifier: any DrainableConnection] = [:]
    let dateCache = DateCache()
    var draining = false
    /// Called once when `draining` and the last connection has gone.
    var onDrained: (() -> Void)?
    /// One action array shared by the loop's WebSocket connections, so a read allocates none;
    /// a connection takes it for the duration of one read (a nested read finds it empty and
    /// uses a fresh one).
    var spareWebSocketActions: [WebSocketAction] = []

    func add(_ connection: any DrainableConnection) {
        connections[ObjectIdentifier(connection)] = connection
    }

    func remove(_ connection: any DrainableConnection) {
        connections.removeValue(forKey: ObjectIdentifier(connection))
        if draining, connections.isEmpty, let done = onDrained {
            onDrained = nil
            done()
        }
    }
}
