import ChatProtocol
import HTTP1
import HTTPServer
import JSON

/// A refusal on the HTTP doors (REST and the OpenAI-compatible API), typed where it arises and
/// rendered once, in the door's own shape, by ``restResponse(headers:)`` or
/// ``openAIResponse(headers:)``.
///
/// Status rules (the same on both doors): a body the server cannot use is 400, an unknown
/// personality/model or session 404, a missing or wrong session token 401, a body over the
/// limit 413, a session busy with another request 409, rate limits and response limits 429
/// (with `Retry-After` when waiting helps, and `x-should-retry: false` when it does not), an
/// engine that failed 502, a server that is draining 503.
struct APIError: Error, Sendable, Equatable {
    /// The HTTP status.
    var status: Int
    /// The machine-readable code (the chat protocol's `ErrorCode` values where one fits).
    var code: String
    /// A sentence for the client developer (never user text: it may hold PII).
    var message: String
    /// The request member at fault, if one is (OpenAI's `param`).
    var param: String?
    /// When to try again.
    var retryAfterMilliseconds: Int64?
    /// The session the error concerns.
    var session: String?
    /// The rate the request was measured against, for `x-ratelimit-limit-requests`.
    var rateLimit: Int?

    init(
        status: Int, code: String, _ message: String, param: String? = nil, retryAfterMilliseconds: Int64? = nil,
        session: String? = nil, rateLimit: Int? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.param = param
        self.retryAfterMilliseconds = retryAfterMilliseconds
        self.session = session
        self.rateLimit = rateLimit
    }

    /// A malformed or unusable request body (400).
    static func badRequest(_ message: String, param: String? = nil, code: String = "invalid_field") -> APIError {
        APIError(status: 400, code: code, message, param: param)
    }

    /// The hub's refusal of a message, with the status its code calls for.
    init(_ report: ErrorReport) {
        let status: Int
        switch report.code {
        case .invalidJSON, .unknownType, .missingField, .invalidField, .messageTooLarge: status = 400
        case .unknownPersonality, .unknownSession: status = 404
        case .notYourSession, .invalidResumeToken: status = 403
        case .sessionExpired: status = 410
        case .sessionNotActive, .busy: status = 409
        case .rateLimited, .limitReached, .tooManySessions: status = 429
        case .shuttingDown, .storeUnavailable: status = 503
        case .internal: status = 500
        }
        self.init(
            status: status, code: report.code.rawValue, report.message,
            retryAfterMilliseconds: report.retryAfterMilliseconds, session: report.session)
    }

    /// Whether a client should retry by itself: rate limits clear within seconds; a used-up
    /// response limit or daily quota, or a wait beyond two minutes, needs the user instead.
    var isRetryable: Bool {
        switch status {
        case 429:
            guard code == ErrorCode.rateLimited.rawValue else { return false }
            return (retryAfterMilliseconds ?? 0) <= 120_000
        case 500, 502, 503: return true
        default: return false
        }
    }

    /// `Retry-After`, `retry-after-ms`, `x-should-retry` and, on 429, the `x-ratelimit-*` headers.
    func retryHeaders() -> HTTPHeaders {
        var headers = HTTPHeaders()
        if let retry = retryAfterMilliseconds, retry > 0 {
            // Whole seconds, at least 1 (RFC 9110 §10.2.3); the SDKs read the exact value from
            // `retry-after-ms`.
            headers.add(name: "Retry-After", value: String(max(1, (retry + 999) / 1_000)))
            headers.add(name: "retry-after-ms", value: String(retry))
        }
        if status == 429 || status >= 500 {
            headers.add(name: "x-should-retry", value: isRetryable ? "true" : "false")
        }
        if status == 429 {
            if let rateLimit { headers.add(name: "x-ratelimit-limit-requests", value: String(rateLimit)) }
            headers.add(name: "x-ratelimit-remaining-requests", value: "0")
            headers.add(
                name: "x-ratelimit-reset-requests", value: "\(max(1, retryAfterMilliseconds ?? 1_000))ms")
        }
        return headers
    }

    /// The REST shape: `{"error":{"code","message","retry_after_ms"?,"session"?}}`, the same body
    /// as the chat protocol's `error` frame and the server's other JSON errors.
    func restResponse(headers extra: HTTPHeaders = [:]) -> HTTPResponse {
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        writer.key("error")
        writer.beginObject()
        writer.member("code", code)
        writer.member("message", message)
        if let param { writer.member("param", param) }
        if let retryAfterMilliseconds { writer.member("retry_after_ms", retryAfterMilliseconds) }
        if let session { writer.member("session", session) }
        writer.endObject()
        writer.endObject()
        return response(body: writer.finish(), extra: extra)
    }

    /// The OpenAI shape: `{"error":{"message","type","param","code"}}`, all four keys present.
    func openAIResponse(headers extra: HTTPHeaders = [:]) -> HTTPResponse {
        response(body: Self.openAIBody(of: self), extra: extra)
    }

    /// The OpenAI error object's JSON, also sent in-band after a stream began.
    static func openAIBody(of error: APIError) -> [UInt8] {
        var writer = JSONWriter(capacity: 160)
        writer.beginObject()
        writer.key("error")
        writer.beginObject()
        writer.member("message", error.message)
        writer.member("type", error.openAIType)
        if let param = error.param { writer.member("param", param) } else { writer.nullMember("param") }
        writer.member("code", error.code)
        writer.endObject()
        writer.endObject()
        return writer.finish()
    }

    /// OpenAI's error `type` for the status.
    var openAIType: String {
        switch status {
        case 400, 413: "invalid_request_error"
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 409: "conflict_error"
        case 429: code == ErrorCode.rateLimited.rawValue ? "rate_limit_error" : "insufficient_quota"
        default: status >= 500 ? "api_error" : "invalid_request_error"
        }
    }

    private func response(body: [UInt8], extra: HTTPHeaders) -> HTTPResponse {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        for field in retryHeaders() { headers.add(name: field.name, value: field.value) }
        for field in extra { headers.add(name: field.name, value: field.value) }
        return HTTPResponse(status: HTTPStatus(code: status), headers: headers, body: body)
    }
}
