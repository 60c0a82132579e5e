import Dispatch
import HTTP1
import HTTPServer
import PersonaRuntime
import Reactor
import SocketIO
import WebSocket

/// Engine.IO v4 / Socket.IO v5 at `/socket.io/` (or Engine.IO alone at `/engine.io/`), over
/// the HTTP core's polling requests and WebSockets: validates each request as the protocol says, finds the session's loop from its
/// sid, and hands the request to that loop's ``SocketIOSocket``. The namespaces' meaning comes
/// from the endpoint factory (chat or the diagnostic echo).
///
/// A session lives on one loop (the one that accepted its handshake); a poll, POST or upgrade
/// that arrives on another connection, hence maybe another loop, is carried there with
/// `execute`, and answered from there (responses and WebSocket sends are thread-safe).
///
/// Limits: `maxPayload` per POST body and per WebSocket message (413 / close 1009), sessions per
/// peer IP (429 at the handshake), and new sessions share the `/v1/ws` connection-rate
/// limiter (429 with `Retry-After`), so a reconnect storm costs the same on either door.
package final class SocketIOServer: Sendable {
    /// Where Socket.IO is served (the path clients use by default).
    package static let socketIOPath = "/socket.io"
    /// Where the Engine.IO echo of `--socketio-echo` is served (``SocketIOServerConfiguration/Mode/engineEcho``).
    package static let engineIOPath = "/engine.io"
    /// This server's path: one of the two above.
    let path: String
    static let sidAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    let configuration: SocketIOServerConfiguration
    private let tables: [LoopBound<SocketIOSessionTable>]
    private let addresses: SocketIOAddressCounter
    private let admission: ConnectionAdmission?

    /// Creates the server on `group`'s loops; `makeEndpoint` builds the application side of
    /// each session on the session's loop.
    init(
        configuration: SocketIOServerConfiguration, path: String = SocketIOServer.socketIOPath, group: EventLoopGroup,
        admission: ConnectionAdmission?, makeEndpoint: @escaping @Sendable (EventLoop) -> any SocketIOEndpoint
    ) {
        self.configuration = configuration
        self.path = path
        self.admission = admission
        let addresses = SocketIOAddressCounter(limit: configuration.maxSessionsPerAddress)
        self.addresses = addresses
        var tables: [LoopBound<SocketIOSessionTable>] = []
        let made = DispatchSemaphore(value: 0)
        for loop in group.loops {
            // Built on its own loop: the table is loop-confined from birth.
            nonisolated(unsafe) var table: SocketIOSessionTable?
            loop.execute {
                table = SocketIOSessionTable(
                    loop: loop, configuration: configuration, addresses: addresses, makeEndpoint: makeEndpoint)
                made.signal()
            }
            made.wait()
            tables.append(LoopBound(table!, loop: loop))
        }
        self.tables = tables
    }

    /// Adds this server's path for every method (Engine.IO answers the wrong ones with 400).
    func addRoutes(_ router: inout HTTPRouter) {
        for method in [HTTPMethod.get, .post, .options, .put, .delete, .patch] {
            router.on(method, path) { [self] request in handle(request) }
        }
    }

    /// Sessions on every loop (waits for each).
    func sessionCount() -> Int {
        var total = 0
        for table in tables {
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var count = 0
            table.loop.execute {
                count = table.value.count
                done.signal()
            }
            done.wait()
            total += count
        }
        return total
    }

    /// Ends every session (shutdown); held polls get `close`, WebSockets a close packet.
    func closeAll() {
        for table in tables {
            let done = DispatchSemaphore(value: 0)
            table.loop.execute {
                table.value.closeAll()
                done.signal()
            }
            done.wait()
        }
    }

    // MARK: Requests

    private func handle(_ request: HTTPRequest) -> HTTPHandlerResult {
        let origin = request.headers["Origin"]
        let cors = configuration.cors
        guard cors.allows(origin) else {
            return .response(Self.errorResponse(.originNotAllowed, headers: [:]))
        }
        let headers = cors.headers(for: origin)
        if request.method == .options {
            return .response(
                HTTPResponse(
                    status: HTTPStatus(code: 204),
                    headers: cors.preflightHeaders(
                        for: origin, requestHeaders: request.headers["Access-Control-Request-Headers"])))
        }
        guard request.queryValue("EIO") == "4" else {
            return .response(Self.errorResponse(.unsupportedProtocolVersion, headers: headers))
        }
        guard let transport = request.queryValue("transport").flatMap(EngineIOSession.Transport.init(rawValue:))
        else { return .response(Self.errorResponse(.unknownTransport, headers: headers)) }
        guard request.method == .get || request.method == .post else {
            return .response(Self.errorResponse(.methodNotAllowed, headers: headers))
        }
        let sid = request.queryValue("sid")
        let address = request.remoteAddress?.host ?? "unknown"
        // The client an API key identified (set by the key gate only); a session belongs to the
        // key that opened it: a request for it with another key (or none) finds no such session.
        let client = request.authenticatedClient
        let caller = client?.key
        // A WebSocket message is one Engine.IO packet: one larger than maxPayload is refused from
        // its frame header, before it is buffered, with close 1009 (RFC 6455 §7.4.1).
        let maxMessage = configuration.engine.maxPayload
        if let sid {
            guard let table = owner(of: sid) else {
                return .response(Self.errorResponse(.unknownSession, headers: headers))
            }
            switch (transport, request.method) {
            case (.websocket, .get):
                return .webSocket(
                    WebSocketUpgrade(maxMessageSize: maxMessage) {
                        EngineIOWebSocketHandler(joining: sid, caller: caller, table: table)
                    })
            case (.polling, .get):
                return .deferred { stream in
                    table.loop.execute {
                        guard let socket = table.value.session(sid), socket.client?.key == caller else {
                            return stream.respond(Self.errorResponse(.unknownSession, headers: headers))
                        }
                        socket.poll(stream, headers: headers)
                    }
                }
            case (.polling, _):
                let body = request.body
                return .deferred { stream in
                    table.loop.execute {
                        guard let socket = table.value.session(sid), socket.client?.key == caller else {
                            return stream.respond(Self.errorResponse(.unknownSession, headers: headers))
                        }
                        stream.respond(socket.post(body, headers: headers))
                    }
                }
            default:
                return .response(Self.errorResponse(.methodNotAllowed, headers: headers))
            }
        }
        // A handshake: a new session.
        guard request.method == .get else {
            return .response(Self.errorResponse(.badRequest("a POST needs a sid"), headers: headers))
        }
        if let refusal = admission?.refusal(for: request) {
            var refusal = refusal
            for field in headers { refusal.headers.add(name: field.name, value: field.value) }
            return .response(refusal)
        }
        let tooMany = Self.errorResponse(.tooManySessions(limit: configuration.maxSessionsPerAddress), headers: headers)
        let table = tables[request.eventLoop.index]
        switch transport {
        case .polling:
            guard addresses.acquire(address) else { return .response(tooMany) }
            let socket = table.value.open(address: address, client: client, transport: .polling)
            return .response(SocketIOSocket.payloadResponse(socket.openPolling().encoded, headers: headers))
        case .websocket:
            guard !addresses.isFull(address) else { return .response(tooMany) }
            return .webSocket(
                WebSocketUpgrade(maxMessageSize: maxMessage) {
                    EngineIOWebSocketHandler(opening: address, client: client, table: table, addresses: self.addresses)
                })
        }
    }

    private func owner(of sid: String) -> LoopBound<SocketIOSessionTable>? {
        guard sid.utf8.count == 20, let first = sid.utf8.first,
            let index = Self.sidAlphabet.firstIndex(of: first), tables.indices.contains(index)
        else { return nil }
        return tables[index]
    }

    /// The protocol's error answer: the status and `{"code":…,"message":…}`.
    static func errorResponse(_ error: EngineIOError, headers: HTTPHeaders) -> HTTPResponse {
        var response = HTTPResponse.json(
            #"{"code":\#(error.code),"message":"\#(error.description)"}"#, status: HTTPStatus(code: error.httpStatus))
        for field in headers { response.headers.add(name: field.name, value: field.value) }
        return response
    }
}
