import HTTP1
import HTTPServer
import PersonaRuntime

extension KeyGate {
    /// Puts the API's routes (`inner`) behind the gate: each of them is added with the check in
    /// front of its handler (one router match per request), with the key's client attached
    /// (``HTTPRequest/authenticatedClient``); after them one route per method on `/v1/*` checks
    /// any other request, then dispatches through `inner` exactly as the server would (404 and
    /// 405 after the check, as before). Preflights carry no key: they pass to `inner` (whose
    /// CORS policy allows the origins keys name).
    func install(_ inner: HTTPRouter, on router: inout HTTPRouter) {
        router.post("/v1/ws-tickets") { request in
            switch self.checkHTTP(request) {
            case .refused(let response): return .response(self.withCORS(response, for: request))
            case .allowed: return .response(self.ticketResponse(for: request))
            }
        }
        router.add(inner) { method, handler in method == .options ? handler : self.gated(handler) }
        let rest = self.gated { request in Self.dispatch(request, through: inner) }
        for method in [HTTPMethod.get, .post, .delete, .put, .patch] { router.on(method, "/v1/*", rest) }
        // Preflights carry no key; the doors' CORS policy allows the origins keys name.
        router.on(.options, "/v1/*") { request in Self.dispatch(request, through: inner) }
    }

    /// `handler` behind the key check: a refusal answers (readable by a page whose origin a
    /// key names); an allowed request goes on with the key's client attached.
    private func gated(_ handler: @escaping HTTPHandler) -> HTTPHandler {
        { request in
            switch self.checkHTTP(request) {
            case .refused(let response):
                return .response(self.withCORS(response, for: request))
            case .allowed(let client, _):
                var request = request
                if let client { request.attach(client) }
                return handler(request)
            }
        }
    }

    /// Puts Socket.IO (`inner`, serving `path`) behind the gate: every Engine.IO request —
    /// polling or the WebSocket upgrade — needs a valid key (`Authorization: Bearer`, as the
    /// official clients send with `headers=`; the `persona-key.` subprotocol on a WebSocket).
    /// Preflights pass. The key's client is attached to the request (as for `/v1/*`): the
    /// handshake's key becomes the Engine.IO session's identity (tier, tenant, allow-list), and
    /// later requests for that session must carry the same key.
    func installSocketIO(_ inner: HTTPRouter, path: String, on router: inout HTTPRouter) {
        for method in [HTTPMethod.get, .post, .options, .put, .delete, .patch] {
            router.on(method, path) { request in
                var request = request
                if request.method != .options {
                    let upgrade = request.headers.containsToken("websocket", in: "Upgrade")
                    switch upgrade ? self.checkWebSocket(request) : self.checkHTTP(request) {
                    case .refused(let response): return .response(self.withCORS(response, for: request))
                    case .allowed(let client, _): if let client { request.attach(client) }
                    }
                }
                return Self.dispatch(request, through: inner)
            }
        }
    }

    /// A refusal readable by a page whose origin a key names (so the page can say "your key
    /// was refused" instead of a network error).
    private func withCORS(_ response: HTTPResponse, for request: HTTPRequest) -> HTTPResponse {
        guard let origin = request.headers["Origin"], keyAllows(origin: origin) else { return response }
        var response = response
        response.headers.add(name: "Access-Control-Allow-Origin", value: origin)
        response.headers.add(name: "Vary", value: "Origin")
        return response
    }

    static func dispatch(_ request: HTTPRequest, through router: HTTPRouter) -> HTTPHandlerResult {
        switch router.match(method: request.method, path: request.head.path) {
        case .handler(let handler, let parameters):
            var request = request
            for (name, value) in parameters { request.pathParameters[name] = value }
            return handler(request)
        case .methodNotAllowed(let allowed):
            var response = HTTPResponse.error(
                .methodNotAllowed, code: "method_not_allowed",
                message: "\(request.method) is not allowed on \(request.head.path)")
            response.headers.add(name: "Allow", value: allowed.map(\.rawValue).joined(separator: ", "))
            return .response(response)
        case .notFound:
            return .response(
                .error(.notFound, code: "not_found", message: "no route for \(request.method) \(request.head.path)"))
        }
    }
}

extension HTTPRequest {
    private static let keyParameter = "@client-key"
    private static let tierParameter = "@client-tier"
    private static let tenantParameter = "@client-tenant"
    private static let personalitiesParameter = "@client-personalities"

    /// The client a valid API key identified (set by ``KeyGate`` only: route patterns cannot
    /// capture names starting with `@`, so a request cannot forge it).
    var authenticatedClient: ClientIdentity? {
        guard let key = pathParameters[Self.keyParameter] else { return nil }
        let personalities = pathParameters[Self.personalitiesParameter].map {
            Set($0.split(separator: ",").map(String.init))
        }
        return ClientIdentity(
            key: key, tier: pathParameters[Self.tierParameter], tenant: pathParameters[Self.tenantParameter],
            personalities: personalities)
    }

    mutating func attach(_ client: ClientIdentity) {
        pathParameters[Self.keyParameter] = client.key
        pathParameters[Self.tierParameter] = client.tier
        pathParameters[Self.tenantParameter] = client.tenant
        pathParameters[Self.personalitiesParameter] = client.personalities.map { $0.sorted().joined(separator: ",") }
    }
}
