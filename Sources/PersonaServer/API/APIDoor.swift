import Foundation
import HTTP1
import HTTPServer
import PersonaRuntime
import Personality
import Reactor

/// What the HTTP doors share: the hub shells (one per event loop), the store each hub writes
/// to, the API settings, CORS and the REST session tables. Each door is an adapter: it decodes its wire format into the hub's
/// `ClientMessage`s on a ``VirtualConnection`` and renders the frames the hub sends back — the
/// sessions, limits, cache and scrubbing are the hub's, the same as on `/v1/ws`.
final class APIDoor: Sendable {
    let shells: [LoopBound<HubShell>]
    /// The store of each hub (the same shared store for all when the server keeps one): REST
    /// history and ended sessions are read from it, on the store's own thread.
    let stores: [any SessionStoreBackend]
    let configuration: APIConfiguration
    let cors: CORSPolicy
    let restTables: [LoopBound<RESTSessionTable>]
    /// Unix seconds when the server started: the `created` of every model.
    let startedAt: Int64

    init(shells: [LoopBound<HubShell>], stores: [any SessionStoreBackend], configuration: APIConfiguration) {
        precondition(stores.count == shells.count, "one store per hub")
        self.shells = shells
        self.stores = stores
        self.configuration = configuration
        self.cors = CORSPolicy(origins: configuration.corsOrigins)
        self.restTables = shells.map {
            LoopBound(RESTSessionTable(configuration: configuration), loop: $0.loop)
        }
        self.startedAt = Int64(Date().timeIntervalSince1970)
    }

    /// Adds every API route, the CORS preflight and both doors.
    func addRoutes(to router: inout HTTPRouter) {
        let cors = self.cors
        router.on(.options, "/v1/*") { request in .response(cors.preflight(request)) }
        addOpenAIRoutes(to: &router)
        addRESTRoutes(to: &router)
    }

    /// The shell of the loop the request arrived on (handlers run there).
    func localShell(_ request: HTTPRequest) -> HubShell {
        shells[request.eventLoop.index].value
    }

    /// The body, or 413 when it is larger than ``APIConfiguration/maxRequestBodyBytes``.
    func body(of request: HTTPRequest) throws(APIError) -> [UInt8] {
        guard request.body.count <= configuration.maxRequestBodyBytes else {
            throw APIError(
                status: 413, code: "body_too_large",
                "the request body is larger than \(configuration.maxRequestBodyBytes) bytes")
        }
        return request.body
    }

    /// Who the request counts against for rate limits and quotas: the bearer key when one is
    /// sent (as a digest, so the key itself is never kept), else the peer's IP — the same key a
    /// WebSocket from that host uses.
    static func clientIdentity(for request: HTTPRequest) -> ClientIdentity {
        if let token = bearerToken(request) {
            return ClientIdentity(key: "key-" + digest(token))
        }
        return ClientIdentity(key: request.remoteAddress?.host ?? "unknown")
    }

    /// The token of `Authorization: Bearer <token>`, if sent.
    static func bearerToken(_ request: HTTPRequest) -> String? {
        guard let value = request.headers["Authorization"] else { return nil }
        let parts = value.utf8.split(separator: UInt8(ascii: " "), maxSplits: 1)
        guard parts.count == 2, parts[0].count == 6, String(Substring(parts[0])).lowercased() == "bearer"
        else {
            return nil
        }
        // Header values arrive without surrounding whitespace; only blanks after the scheme remain.
        let token = parts[1].drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        return token.isEmpty ? nil : String(Substring(token))
    }

    /// FNV-1a 64 of `text`, hex: a short stable name that does not reveal the text.
    static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// A JSON 200 (or `status`), with the request's CORS headers when `request` is given.
    func json(_ body: [UInt8], status: HTTPStatus = .ok, for request: HTTPRequest? = nil) -> HTTPResponse {
        let response = HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body)
        return request.map { decorated(response, for: $0) } ?? response
    }

    /// `response` with the CORS headers `request` calls for.
    func decorated(_ response: HTTPResponse, for request: HTTPRequest) -> HTTPResponse {
        var response = response
        for field in cors.headers(for: request) { response.headers.add(name: field.name, value: field.value) }
        return response
    }

    /// Runs `body` on the loop of `hubIndex` (at once when that is the current loop).
    func onHub(_ hubIndex: Int, from loop: EventLoop, _ body: @escaping @Sendable (HubShell) -> Void) {
        let shell = shells[hubIndex]
        if shell.loop === loop {
            body(shell.value)
        } else {
            shell.loop.execute { body(shell.value) }
        }
    }
}
