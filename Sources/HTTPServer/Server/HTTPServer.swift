import Dispatch
import Reactor
import Synchronization
import WebSocket

/// The HTTP/1.1 + WebSocket server core: accepts on every loop of a group, speaks HTTP with
/// the codecs, and calls the application's ``HTTPRouter``. It knows nothing about the routes.
///
/// ```swift
/// var router = HTTPRouter()
/// router.get("/health") { _ in .response(.json(#"{"status":"ok"}"#)) }
/// router.webSocket("/v1/echo") { _ in EchoHandler() }
/// let group = try EventLoopGroup()
/// let server = try HTTPServer(router: router, group: group)
/// try server.start(at: SocketAddress(host: "127.0.0.1", port: 0))
/// ...
/// server.shutdown(gracePeriod: .seconds(10))
/// group.shutdown()
/// ```
public final class HTTPServer: Sendable {
    /// The group whose loops serve the connections.
    public let group: EventLoopGroup
    private let context: ServerContext
    private let listener = Mutex<TCPServer?>(nil)

    /// Creates a server; nothing is bound until ``start(at:)``.
    public init(configuration: HTTPServerConfiguration = .init(), router: HTTPRouter, group: EventLoopGroup) {
        self.group = group
        self.context = ServerContext(configuration: configuration, router: router, group: group)
    }

    /// The configuration in force.
    public var configuration: HTTPServerConfiguration { context.configuration }

    /// The budget every WebSocket connection charges its large inbound messages to.
    public var memoryBudget: WebSocketMemoryBudget { context.memoryBudget }

    /// Binds `address` on every loop and starts accepting. Returns the bound address (with the
    /// real port when 0 was asked for).
    @discardableResult
    ///
    /// With `proxyProtocol`, every connection on this listener must begin with a PROXY
    /// protocol header (version 1 or 2; one without is closed unanswered), whose client
    /// address is used when the peer is one of the configuration's trusted proxies.
    public func start(at address: SocketAddress, proxyProtocol: Bool = false) throws(SystemError) -> SocketAddress {
        let context = self.context
        let server = try TCPServer(address: address, group: group) { tcp in
            let connection = HTTPConnection(tcp: tcp, context: context, proxyProtocol: proxyProtocol)
            tcp.handler = connection
        }
        listener.withLock { $0 = server }
        return server.localAddress
    }

    /// The bound address, once started.
    public var localAddress: SocketAddress? { listener.withLock { $0?.localAddress } }

    /// Closes the listener: new connections are refused from now on, while the ones already
    /// open carry on (the first step of a graceful shutdown; an application that drains its
    /// own sessions calls this, drains, then ``shutdown(gracePeriod:)``). Safe to call twice.
    public func stopAccepting() {
        let server = listener.withLock { server -> TCPServer? in
            let taken = server
            server = nil
            return taken
        }
        server?.stopAccepting()
    }

    /// Graceful shutdown: stop accepting; close idle keep-alive connections; let requests in
    /// flight finish (each answered with `Connection: close`); send WebSocket peers close 1001
    /// and wait for their answer. After `gracePeriod` whatever remains is closed. Blocks until
    /// every connection is gone; call from outside the group's loops. Returns whether the
    /// drain finished within the grace period.
    @discardableResult
    public func shutdown(gracePeriod: Duration) -> Bool {
        stopAccepting()
        let drained = DispatchSemaphore(value: 0)
        for bound in context.perLoop {
            bound.loop.execute {
                let state = bound.value
                state.draining = true
                if state.connections.isEmpty {
                    drained.signal()
                    return
                }
                state.onDrained = { drained.signal() }
                for connection in Array(state.connections.values) { connection.beginDrain() }
            }
        }
        let nanoseconds = max(0, gracePeriod.nanosecondsClamped)
        let deadline = DispatchTime.now() + .nanoseconds(Int(clamping: nanoseconds))
        var complete = true
        for _ in context.perLoop where drained.wait(timeout: deadline) == .timedOut {
            complete = false
        }
        if !complete {
            let forced = DispatchSemaphore(value: 0)
            for bound in context.perLoop {
                bound.loop.execute {
                    let state = bound.value
                    for connection in Array(state.connections.values) { connection.forceClose() }
                    state.onDrained = nil
                    forced.signal()
                }
            }
            for _ in context.perLoop { forced.wait() }
        }
        return complete
    }

    /// Number of open connections (HTTP and WebSocket) across loops; waits for each loop to
    /// answer. For tests and metrics.
    public func connectionCount() -> Int {
        let total = Mutex(0)
        let answered = DispatchSemaphore(value: 0)
        for bound in context.perLoop {
            bound.loop.execute {
                let count = bound.value.connections.count
                total.withLock { $0 += count }
                answered.signal()
            }
        }
        for _ in context.perLoop { answered.wait() }
        return total.withLock { $0 }
    }
}
