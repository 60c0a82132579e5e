import HTTP1

/// Why an upgrade request was refused (RFC 6455 §4.2.1, §4.4). Each case knows the HTTP
/// status, a stable code and any header the response must carry, so the server renders it
/// once at the edge with `encodeResponse`.
public enum WebSocketHandshakeError: Error, Sendable, Hashable, CaseIterable {
    /// The method is not GET (405).
    case methodNotGet
    /// The request is not HTTP/1.1 or later (400).
    case versionTooOld
    /// No `Host` field (400).
    case missingHost
    /// No `Upgrade: websocket` (400).
    case missingUpgrade
    /// `Connection` lacks the `upgrade` option (400).
    case missingConnectionUpgrade
    /// `Sec-WebSocket-Version` missing or not 13 (426 with `Sec-WebSocket-Version: 13`).
    case unsupportedVersion
    /// `Sec-WebSocket-Key` missing, repeated, or not base64 of 16 bytes (400).
    case invalidKey
    /// The origin policy refused the `Origin` (403).
    case originNotAllowed

    /// The response status.
    public var status: HTTPStatus {
        switch self {
        case .methodNotGet: HTTPStatus(code: 405)
        case .unsupportedVersion: .upgradeRequired
        case .originNotAllowed: .forbidden
        default: .badRequest
        }
    }

    /// A stable snake_case code for the JSON body.
    public var code: String {
        switch self {
        case .methodNotGet: "method_not_allowed"
        case .versionTooOld: "websocket_requires_http11"
        case .missingHost: "missing_host"
        case .missingUpgrade: "missing_upgrade"
        case .missingConnectionUpgrade: "missing_connection_upgrade"
        case .unsupportedVersion: "unsupported_websocket_version"
        case .invalidKey: "invalid_websocket_key"
        case .originNotAllowed: "origin_not_allowed"
        }
    }

    /// A human-readable message.
    public var message: String {
        switch self {
        case .methodNotGet: "A WebSocket handshake must use GET."
        case .versionTooOld: "A WebSocket handshake requires HTTP/1.1."
        case .missingHost: "A WebSocket handshake requires a Host header."
        case .missingUpgrade: "Expected 'Upgrade: websocket'."
        case .missingConnectionUpgrade: "Expected 'Connection: Upgrade'."
        case .unsupportedVersion: "Only WebSocket version 13 is supported."
        case .invalidKey: "Sec-WebSocket-Key must be the base64 encoding of 16 bytes."
        case .originNotAllowed: "This origin may not open a WebSocket."
        }
    }

    /// Fields the refusal must carry: `Sec-WebSocket-Version: 13` on 426 (RFC 6455 §4.4), and
    /// the `Upgrade`/`Connection` pair RFC 9110 §15.5.22 requires with 426; `Allow` on 405.
    public var responseHeaders: HTTPHeaders {
        switch self {
        case .unsupportedVersion:
            ["Sec-WebSocket-Version": "13", "Upgrade": "websocket", "Connection": "Upgrade"]
        case .methodNotGet:
            ["Allow": "GET"]
        default:
            [:]
        }
    }

    /// The complete refusal with a JSON error body. The connection may stay open (the
    /// request itself was well-formed HTTP), except on 426 whose `Connection: Upgrade` is kept.
    public func encodeResponse(date: String? = nil, keepAlive: Bool = true, into buffer: inout [UInt8]) {
        HTTP1ResponseEncoder.encodeJSONError(
            status: status, code: code, message: message, date: date, extraHeaders: responseHeaders,
            keepAlive: keepAlive || self == .unsupportedVersion, into: &buffer)
    }
}
