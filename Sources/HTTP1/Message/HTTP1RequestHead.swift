/// How a request's body is delimited (RFC 9112 §6.3), decided once the head is parsed.
public enum HTTP1BodyFraming: Sendable, Hashable {
    /// No body (no Content-Length and no Transfer-Encoding, or `Content-Length: 0`).
    case none
    /// Exactly this many body bytes follow the head.
    case contentLength(Int)
    /// `Transfer-Encoding: chunked`; the size is unknown until the last chunk.
    case chunked
}

/// A parsed and validated request head: request line plus header section (RFC 9112 §3, §5).
public struct HTTP1RequestHead: Sendable, Hashable {
    /// The method token.
    public var method: HTTPMethod
    /// The request-target exactly as received (origin-, absolute-, authority- or asterisk-form).
    public var target: String
    /// `HTTP/1.0` or `HTTP/1.1`; the parser refuses every other version with 505.
    public var version: HTTPVersion
    /// The header fields in wire order, original case kept.
    public var headers: HTTPHeaders
    /// Whether the connection may carry another request after this one (RFC 9112 §9.3):
    /// HTTP/1.1 unless `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool
    /// How the body is delimited.
    public var bodyFraming: HTTP1BodyFraming
    /// `Expect: 100-continue` on an HTTP/1.1 request (RFC 9110 §10.1.1): the client waits for
    /// `HTTP/1.1 100 Continue` (or a final status) before sending the body. HTTP/1.0 requests
    /// never set this — the RFC says to ignore the expectation there.
    public var expectsContinue: Bool

    /// Creates a head (tests and clients; the parser builds its own).
    public init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = [:], keepAlive: Bool = true, bodyFraming: HTTP1BodyFraming = .none,
        expectsContinue: Bool = false
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.keepAlive = keepAlive
        self.bodyFraming = bodyFraming
        self.expectsContinue = expectsContinue
    }

    /// Whether the client asks to switch protocols (RFC 9110 §7.8): an `Upgrade` field and
    /// `upgrade` among the `Connection` options. The parser pauses after such a request.
    public var isUpgradeRequest: Bool {
        headers.contains("Upgrade") && headers.containsToken("upgrade", in: "Connection")
    }

    /// The path part of an origin-form target (before `?`).
    public var path: Substring {
        target[..<(target.firstIndex(of: "?") ?? target.endIndex)]
    }

    /// The query part of the target after `?`, if any.
    public var query: Substring? {
        guard let mark = target.firstIndex(of: "?") else { return nil }
        return target[target.index(after: mark)...]
    }
}
