import HTTP1
import HTTPServer
import PersonaRuntime

/// The one place every public door asks "who is this?": REST and the OpenAI API read
/// `Authorization: Bearer <key>`; `/v1/ws` reads the key from a `Sec-WebSocket-Protocol` value
/// `persona-key.<key>` (browsers cannot set headers on a WebSocket; the value is never logged
/// and never echoed — the server selects `persona.v1`), or from `Authorization` for clients
/// that can set it. Never from the URL: proxies log URLs.
///
/// Every refusal of a key is the same 401 `unauthorized` with the same text, whether the key
/// was missing, malformed, unknown, wrong, revoked or expired, so a caller learns nothing
/// about which part was wrong. A valid key used from a browser origin the key does not name is
/// 403 `origin_not_allowed`.
public final class KeyGate: Sendable {
    /// The subprotocol the chat endpoint selects (a browser fails the handshake unless the
    /// server selects one of the values it offered).
    public static let chatSubprotocol = "persona.v1"
    /// The prefix of the subprotocol value carrying a key.
    public static let keyProtocolPrefix = "persona-key."

    /// What the gate decided.
    public enum Decision: Sendable {
        /// Let in, as `client` (nil: no key, auth off — the door uses the peer's address).
        case allowed(ClientIdentity?, key: APIKey?)
        /// Refused with this response.
        case refused(HTTPResponse)
    }

    /// The mode in force.
    public let mode: AuthMode
    /// The keys.
    public let ring: KeyRing
    /// The `/v1/ws?ticket=` tickets.
    public let tickets = WebSocketTickets()
    private let clock: @Sendable () -> Int64

    /// A gate over `ring`; `clock` gives unix seconds (injected for expiry tests).
    public init(mode: AuthMode, ring: KeyRing, clock: @escaping @Sendable () -> Int64) {
        self.mode = mode
        self.ring = ring
        self.clock = clock
    }

    /// The answer for a request to REST or the OpenAI API.
    public func checkHTTP(_ request: HTTPRequest) -> Decision {
        decide(text: Self.bearer(request), origin: request.headers["Origin"])
    }

    /// The answer for a `/v1/ws` upgrade request.
    public func checkWebSocket(_ request: HTTPRequest) -> Decision {
        let offered = request.headers.listElements(for: "Sec-WebSocket-Protocol")
        let fromProtocol = offered.first { $0.hasPrefix(Self.keyProtocolPrefix) }.map {
            String($0.dropFirst(Self.keyProtocolPrefix.count))
        }
        let fromTicket = request.queryValue("ticket").flatMap { tickets.redeem($0, now: clock()) }
        return decide(text: fromProtocol ?? fromTicket ?? Self.bearer(request), origin: request.headers["Origin"])
    }

    /// `POST /v1/ws-tickets` (behind the gate, so the key is already valid): a ticket for it.
    func ticketResponse(for request: HTTPRequest) -> HTTPResponse {
        guard let key = Self.bearer(request), ring.verify(key, now: clock()) != nil else { return Self.unauthorized() }
        guard let ticket = tickets.issue(for: key, now: clock()) else {
            return HTTPResponse.error(HTTPStatus(code: 429), code: "too_many_tickets", message: "try again shortly")
        }
        return HTTPResponse.json(
            #"{"ticket":""# + ticket + #"","expires_in":"# + String(tickets.lifetime) + "}", status: HTTPStatus(code: 201))
    }

    /// Whether a CORS preflight from `origin` should be allowed because a key names it.
    public func keyAllows(origin: String) -> Bool {
        ring.anyKeyAllows(origin: origin, now: clock())
    }

    private func decide(text: String?, origin: String?) -> Decision {
        let key = text.flatMap { ring.verify($0, now: clock()) }
        guard let key else {
            // Auth off: a REST session token also travels as a bearer; it is simply not a key.
            return mode == .off ? .allowed(nil, key: nil) : .refused(Self.unauthorized())
        }
        guard key.allows(origin: origin) else {
            return .refused(
                HTTPResponse.error(
                    HTTPStatus(code: 403), code: "origin_not_allowed", message: "this key may not be used from this origin"))
        }
        return .allowed(key.clientIdentity, key: key)
    }

    /// The single refusal for every bad key.
    static func unauthorized() -> HTTPResponse {
        var response = HTTPResponse.error(
            HTTPStatus(code: 401), code: "unauthorized", message: "a valid API key is required")
        response.headers.add(name: "WWW-Authenticate", value: #"Bearer realm="persona""#)
        return response
    }

    /// The `Authorization: Bearer` token (the same reading as the API doors').
    static func bearer(_ request: HTTPRequest) -> String? {
        APIDoor.bearerToken(request)
    }
}
