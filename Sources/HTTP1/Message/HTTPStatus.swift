/// A response status code with its reason phrase (RFC 9110 §15).
public struct HTTPStatus: Sendable, Hashable, CustomStringConvertible {
    /// The three-digit code.
    public var code: Int
    /// The reason phrase sent on the status line (informational only, RFC 9112 §4).
    public var reasonPhrase: String

    /// Creates a status; an empty reason uses the standard phrase when the code is known.
    public init(code: Int, reasonPhrase: String = "") {
        self.code = code
        self.reasonPhrase = reasonPhrase.isEmpty ? HTTPStatus.standardPhrase(for: code) : reasonPhrase
    }

    /// `101 Switching Protocols` and so on.
    public var description: String { "\(code) \(reasonPhrase)" }

    /// The RFC 9110 reason phrase for a code, or an empty string for unknown codes.
    public static func standardPhrase(for code: Int) -> String {
        switch code {
        case 100: "Continue"
        case 101: "Switching Protocols"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 426: "Upgrade Required"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: ""
        }
    }

    /// 100 Continue
    public static let `continue` = HTTPStatus(code: 100)
    /// 101 Switching Protocols
    public static let switchingProtocols = HTTPStatus(code: 101)
    /// 200 OK
    public static let ok = HTTPStatus(code: 200)
    /// 204 No Content
    public static let noContent = HTTPStatus(code: 204)
    /// 400 Bad Request
    public static let badRequest = HTTPStatus(code: 400)
    /// 403 Forbidden
    public static let forbidden = HTTPStatus(code: 403)
    /// 404 Not Found
    public static let notFound = HTTPStatus(code: 404)
    /// 405 Method Not Allowed
    public static let methodNotAllowed = HTTPStatus(code: 405)
    /// 426 Upgrade Required
    public static let upgradeRequired = HTTPStatus(code: 426)
    /// 500 Internal Server Error
    public static let internalServerError = HTTPStatus(code: 500)
}
