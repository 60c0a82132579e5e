import HTTP1
import HTTPServer

/// Cross-origin resource sharing for the HTTP API (WHATWG Fetch §3.2, "CORS protocol"): which
/// browser origins may read responses, and the answer to a preflight `OPTIONS`.
///
/// Credentials (cookies) are never allowed: the API authenticates with bearer tokens, which a
/// page sends explicitly, so `Access-Control-Allow-Credentials` is not needed and `*` stays safe.
struct CORSPolicy: Sendable {
    /// Allowed origins; `*` allows any.
    let origins: [String]
    /// Origins an API key names (allowed too); nil when keys are not in use.
    var keyOrigins: (@Sendable (String) -> Bool)? = nil

    /// Headers a browser may send on API calls.
    static let allowedHeaders =
        "Authorization, Content-Type, Accept, X-Persona-Session, X-Persona-Session-Token, X-Stainless-Retry-Count"
    /// Response headers a page's script may read.
    static let exposedHeaders =
        "Retry-After, retry-after-ms, x-should-retry, x-ratelimit-limit-requests, "
        + "x-ratelimit-remaining-requests, x-ratelimit-reset-requests, Location"
    /// Methods the API answers.
    static let allowedMethods = "GET, POST, DELETE, OPTIONS"
    /// How long a browser may cache a preflight answer, in seconds.
    static let maxAge = "600"

    var isEnabled: Bool { !origins.isEmpty || keyOrigins != nil }

    /// The value of `Access-Control-Allow-Origin` for a request from `origin`, or `nil` when the
    /// origin is not allowed (or the request is not cross-origin).
    func allowedOrigin(_ origin: String?) -> String? {
        guard let origin, isEnabled else { return nil }
        if origins.contains("*") { return "*" }
        if origins.contains(origin) || keyOrigins?(origin) == true { return origin }
        return nil
    }

    /// The headers an actual (non-preflight) response carries for `request`.
    func headers(for request: HTTPRequest) -> HTTPHeaders {
        var headers = HTTPHeaders()
        guard isEnabled else { return headers }
        if let allowed = allowedOrigin(request.headers["Origin"]) {
            headers.add(name: "Access-Control-Allow-Origin", value: allowed)
            headers.add(name: "Access-Control-Expose-Headers", value: Self.exposedHeaders)
        }
        if !origins.contains("*") { headers.add(name: "Vary", value: "Origin") }
        return headers
    }

    /// The answer to a preflight: 204 with the allowed methods and headers when the origin is
    /// allowed, 403 otherwise (browsers then refuse the actual request).
    func preflight(_ request: HTTPRequest) -> HTTPResponse {
        guard let allowed = allowedOrigin(request.headers["Origin"]) else {
            var response = APIError(status: 403, code: "origin_not_allowed", "this origin may not call the API")
                .restResponse()
            if isEnabled, !origins.contains("*") { response.headers.add(name: "Vary", value: "Origin") }
            return response
        }
        var headers: HTTPHeaders = [
            "Access-Control-Allow-Origin": allowed,
            "Access-Control-Allow-Methods": Self.allowedMethods,
            "Access-Control-Allow-Headers": Self.allowedHeaders,
            "Access-Control-Max-Age": Self.maxAge,
        ]
        if !origins.contains("*") { headers.add(name: "Vary", value: "Origin") }
        return HTTPResponse(status: .noContent, headers: headers)
    }
}
