import HTTP1

/// Which web origins may use `/socket.io/` from a browser, and whether with credentials
/// (cookies). Requests without `Origin` (native clients) are always allowed.
///
/// - `allowedOrigins == nil`: any origin; answered `Access-Control-Allow-Origin: *`, or the
///   request's own origin when `allowCredentials` is on (browsers refuse `*` with credentials).
/// - a list: only those origins (exact match, e.g. `https://chat.example.com`); others get 403.
public struct SocketIOCORSPolicy: Sendable, Hashable {
    /// Allowed origins; `nil` allows any. Default `nil`.
    public var allowedOrigins: [String]?
    /// Whether responses carry `Access-Control-Allow-Credentials: true`. Default false.
    public var allowCredentials: Bool

    /// Creates a policy.
    public init(allowedOrigins: [String]? = nil, allowCredentials: Bool = false) {
        self.allowedOrigins = allowedOrigins
        self.allowCredentials = allowCredentials
    }

    /// Whether a request from `origin` may proceed.
    public func allows(_ origin: String?) -> Bool {
        guard let origin, let allowedOrigins else { return true }
        return allowedOrigins.contains(origin)
    }

    /// The CORS headers for a response to a request from `origin` (none without `Origin`).
    public func headers(for origin: String?) -> HTTPHeaders {
        guard let origin, allows(origin) else { return [:] }
        var headers: HTTPHeaders = [:]
        if allowedOrigins == nil, !allowCredentials {
            headers.add(name: "Access-Control-Allow-Origin", value: "*")
        } else {
            headers.add(name: "Access-Control-Allow-Origin", value: origin)
            headers.add(name: "Vary", value: "Origin")
        }
        if allowCredentials { headers.add(name: "Access-Control-Allow-Credentials", value: "true") }
        return headers
    }

    /// The answer to a preflight (`OPTIONS`) from `origin` asking for `requestHeaders`.
    public func preflightHeaders(for origin: String?, requestHeaders: String?) -> HTTPHeaders {
        var headers = self.headers(for: origin)
        headers.add(name: "Access-Control-Allow-Methods", value: "GET, POST")
        headers.add(name: "Access-Control-Allow-Headers", value: requestHeaders ?? "Content-Type")
        headers.add(name: "Access-Control-Max-Age", value: "86400")
        return headers
    }
}
