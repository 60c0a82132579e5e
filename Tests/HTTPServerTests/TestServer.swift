import PersonaTestSupport
import Dispatch
import HTTP1
import HTTPServer
import Reactor
import WebSocket

/// Holds a deferred response until the test releases it.
final class Gate: @unchecked Sendable {
    private let lock = DispatchSemaphore(value: 1)
    private var stream: HTTPResponseStream?
    let arrived = Waiter()

    func hold(_ stream: HTTPResponseStream) {
        lock.wait()
        self.stream = stream
        lock.signal()
        arrived.signal()
    }

    func release(_ body: String) {
        lock.wait()
        let stream = self.stream
        lock.signal()
        stream?.respond(.text(body))
    }
}

/// Records WebSocket closures seen by server-side handlers.
final class ClosureLog: @unchecked Sendable {
    private let lock = DispatchSemaphore(value: 1)
    private var closures: [WebSocketClosure] = []
    let closed = Waiter()

    func append(_ closure: WebSocketClosure) {
        lock.wait()
        closures.append(closure)
        lock.signal()
        closed.signal()
    }

    var all: [WebSocketClosure] {
        lock.wait()
        defer { lock.signal() }
        return closures
    }
}

/// Echoes, and logs how the connection ended.
final class LoggingEchoHandler: WebSocketHandler {
    let log: ClosureLog
    init(log: ClosureLog) { self.log = log }
    func webSocket(_ socket: WebSocketHandle, didReceive message: WebSocketMessage) { socket.send(message) }
    func webSocketDidClose(_ socket: WebSocketHandle, closure: WebSocketClosure) { log.append(closure) }
}

/// Sends from a thread that is not the connection's loop, as an application would after
/// off-loop work.
final class OffLoopSender: WebSocketHandler {
    func webSocket(_ socket: WebSocketHandle, didReceive message: WebSocketMessage) {
        guard case .text(let text) = message else { return }
        DispatchQueue.global().async {
            precondition(!socket.eventLoop.inEventLoop)
            for index in 1...3 { socket.send(text: "\(text) \(index)") }
            socket.close(code: .normalClosure, reason: "done")
        }
    }
}

/// Floods its peer on open (for the slow-reader test).
final class FloodHandler: WebSocketHandler {
    let log: ClosureLog
    init(log: ClosureLog) { self.log = log }
    func webSocketDidOpen(_ socket: WebSocketHandle) { pump(socket) }
    func webSocket(_ socket: WebSocketHandle, didReceive message: WebSocketMessage) {}
    func webSocketDidClose(_ socket: WebSocketHandle, closure: WebSocketClosure) { log.append(closure) }
    private func pump(_ socket: WebSocketHandle) {
        guard socket.isOpen else { return }
        socket.send(binary: [UInt8](repeating: 7, count: 64 * 1024))
        socket.eventLoop.executeOnLoop { [self] in self.pump(socket) }
    }
}

/// Keeps only a weak reference to its connection's handle, so a test can see whether anything
/// still holds the connection after it closed.
final class HandleReleaseProbe: WebSocketHandler, @unchecked Sendable {
    weak var handle: WebSocketHandle?
    func webSocketDidOpen(_ socket: WebSocketHandle) { handle = socket }
    func webSocket(_ socket: WebSocketHandle, didReceive message: WebSocketMessage) {}
}

/// A server on 127.0.0.1 with the routes the tests use.
final class TestServer {
    let group: EventLoopGroup
    let server: HTTPServer
    let port: Int
    let gate = Gate()
    let closures = ClosureLog()
    let helloServed = Waiter()
    let releaseProbe = HandleReleaseProbe()

    init(
        loops: Int = 1, proxyProtocol: Bool = false,
        _ configure: (inout HTTPServerConfiguration) -> Void = { _ in }
    ) throws {
        var configuration = HTTPServerConfiguration()
        configure(&configuration)
        let gate = self.gate
        let closures = self.closures
        let helloServed = self.helloServed
        var router = HTTPRouter()
        router.get("/hello") { _ in
            helloServed.signal()
            return .response(.text("hello"))
        }
        router.post("/echo") { request in .response(HTTPResponse(body: request.body)) }
        router.get("/whoami") { request in .response(.text(request.clientAddress?.host ?? "none")) }
        router.get("/items/:id") { request in .response(.text("item \(request.pathParameters["id"] ?? "?")"))
        }
        router.get("/deferred") { _ in .deferred { stream in gate.hold(stream) } }
        router.get("/stream") { _ in
            .stream(HTTP1ResponseHead(status: .ok, headers: ["Content-Type": "text/plain"])) { stream in
                stream.write("one,")
                DispatchQueue.global().async {
                    stream.write("two,")
                    stream.write("three")
                    stream.finish()
                }
            }
        }
        router.get("/events") { _ in
            .stream(HTTP1ResponseHead(status: .ok, headers: ServerSentEvent.responseHeaders)) { stream in
                DispatchQueue.global().async {
                    for index in 1...3 {
                        stream.send(ServerSentEvent(event: "tick", data: "n=\(index)", id: String(index)))
                    }
                    stream.finish()
                }
            }
        }
        router.webSocket("/ws") { _ in LoggingEchoHandler(log: closures) }
        router.webSocket("/echo-bounded", maxOutboundBytes: WebSocketEchoHandler.maxUnreadEchoBytes) { _ in
            LoggingEchoHandler(log: closures)
        }
        router.webSocket("/offloop") { _ in OffLoopSender() }
        router.webSocket("/flood") { _ in FloodHandler(log: closures) }
        let releaseProbe = self.releaseProbe
        router.webSocket("/probe") { _ in releaseProbe }
        group = try EventLoopGroup(loops: loops)
        server = HTTPServer(configuration: configuration, router: router, group: group)
        port = try server.start(at: try SocketAddress(host: "127.0.0.1", port: 0), proxyProtocol: proxyProtocol).port
    }

    func client() -> BlockingClient { BlockingClient(port: port) }

    deinit {
        server.shutdown(gracePeriod: .milliseconds(200))
        group.shutdown()
    }
}
