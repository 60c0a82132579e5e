/// Why a request was refused. Each case knows its status code and a stable machine-readable
/// code; the server answers with that status, a JSON error body, and closes the connection —
/// after a framing error nothing later on the connection can be trusted (RFC 9112 §11.2).
public enum HTTP1ParseError: Error, Sendable, Hashable, CaseIterable {
    /// The request line exceeds `Configuration.maxRequestLineLength` (414).
    case requestLineTooLong
    /// The request line is not `method SP request-target SP HTTP-version` (400).
    case invalidRequestLine
    /// The method is not a token (400).
    case invalidMethod
    /// The request-target is empty or holds bytes outside visible ASCII (400).
    case invalidTarget
    /// The version is not of the form `HTTP/d.d` (400).
    case invalidVersion
    /// A well-formed version other than 1.0 and 1.1 (505).
    case unsupportedVersion
    /// The header (or trailer) section exceeds `Configuration.maxHeaderBytes` (431).
    case headerTooLarge
    /// More fields than `Configuration.maxHeaderCount` (431).
    case tooManyHeaders
    /// A field name that is empty or not a token (400).
    case invalidHeaderName
    /// A field value holding a control character (400).
    case invalidHeaderValue
    /// Whitespace between a field name and the colon (RFC 9112 §5.1: MUST reject, 400).
    case whitespaceBeforeColon
    /// A field line starting with whitespace: obsolete line folding (RFC 9112 §5.2, 400).
    case obsoleteLineFolding
    /// A CR not followed by LF (RFC 9112 §2.2, 400).
    case bareCR
    /// A line ended by LF alone while `Configuration.allowsBareLF` is off (400).
    case bareLF
    /// An HTTP/1.1 request without `Host` (RFC 9112 §3.2, 400).
    case missingHost
    /// More than one `Host` field (RFC 9112 §3.2, 400).
    case duplicateHost
    /// A `Content-Length` that is not plain digits (`+5`, `1,2`, `5 5`, empty) (400).
    case invalidContentLength
    /// More than one `Content-Length` field, even with equal values (400).
    case duplicateContentLength
    /// Both `Content-Length` and `Transfer-Encoding` (RFC 9112 §6.3 smuggling vector, 400).
    case contentLengthWithTransferEncoding
    /// `Transfer-Encoding` whose final coding is not a single `chunked`, or on HTTP/1.0 (400).
    case invalidTransferEncoding
    /// A transfer coding other than chunked (gzip, deflate, ...) that we do not decode (501).
    case unsupportedTransferCoding
    /// The body exceeds `Configuration.maxBodySize` (413).
    case bodyTooLarge
    /// A chunk-size line that is not hex digits with optional extensions (400).
    case invalidChunkSize
    /// A chunk-size line (with extensions) longer than `Configuration.maxChunkSizeLineLength` (400).
    case chunkSizeLineTooLong
    /// Chunk data not followed by CRLF (400).
    case invalidChunkTerminator
    /// An `Expect` value other than `100-continue` (RFC 9110 §10.1.1, 417).
    case unsupportedExpectation

    /// The status the server answers with.
    public var statusCode: Int {
        switch self {
        case .requestLineTooLong: 414
        case .unsupportedVersion: 505
        case .headerTooLarge, .tooManyHeaders: 431
        case .unsupportedTransferCoding: 501
        case .bodyTooLarge: 413
        case .unsupportedExpectation: 417
        default: 400
        }
    }

    /// A stable snake_case code for the JSON error body and logs.
    public var code: String {
        switch self {
        case .requestLineTooLong: "request_line_too_long"
        case .invalidRequestLine: "invalid_request_line"
        case .invalidMethod: "invalid_method"
        case .invalidTarget: "invalid_target"
        case .invalidVersion: "invalid_version"
        case .unsupportedVersion: "http_version_not_supported"
        case .headerTooLarge: "header_too_large"
        case .tooManyHeaders: "too_many_headers"
        case .invalidHeaderName: "invalid_header_name"
        case .invalidHeaderValue: "invalid_header_value"
        case .whitespaceBeforeColon: "whitespace_before_colon"
        case .obsoleteLineFolding: "obsolete_line_folding"
        case .bareCR: "bare_cr"
        case .bareLF: "bare_lf"
        case .missingHost: "missing_host"
        case .duplicateHost: "duplicate_host"
        case .invalidContentLength: "invalid_content_length"
        case .duplicateContentLength: "duplicate_content_length"
        case .contentLengthWithTransferEncoding: "content_length_with_transfer_encoding"
        case .invalidTransferEncoding: "invalid_transfer_encoding"
        case .unsupportedTransferCoding: "unsupported_transfer_coding"
        case .bodyTooLarge: "body_too_large"
        case .invalidChunkSize: "invalid_chunk_size"
        case .chunkSizeLineTooLong: "chunk_size_line_too_long"
        case .invalidChunkTerminator: "invalid_chunk_terminator"
        case .unsupportedExpectation: "unsupported_expectation"
        }
    }

    /// A short human-readable explanation, safe to send to the client.
    public var message: String {
        switch self {
        case .requestLineTooLong: "The request line is too long."
        case .invalidRequestLine: "The request line is malformed."
        case .invalidMethod: "The request method is not a valid token."
        case .invalidTarget: "The request target is malformed."
        case .invalidVersion: "The HTTP version is malformed."
        case .unsupportedVersion: "Only HTTP/1.0 and HTTP/1.1 are supported."
        case .headerTooLarge: "The header section is too large."
        case .tooManyHeaders: "The request has too many header fields."
        case .invalidHeaderName: "A header field name is not a valid token."
        case .invalidHeaderValue: "A header field value contains a control character."
        case .whitespaceBeforeColon: "Whitespace between a header field name and the colon is not allowed."
        case .obsoleteLineFolding: "Obsolete line folding is not allowed."
        case .bareCR: "A carriage return must be followed by a line feed."
        case .bareLF: "Lines must end with CRLF."
        case .missingHost: "An HTTP/1.1 request must have a Host header."
        case .duplicateHost: "A request must have exactly one Host header."
        case .invalidContentLength: "The Content-Length header is malformed."
        case .duplicateContentLength: "A request must have at most one Content-Length header."
        case .contentLengthWithTransferEncoding:
            "A request must not have both Content-Length and Transfer-Encoding."
        case .invalidTransferEncoding:
            "Transfer-Encoding must end with a single chunked coding (HTTP/1.1 only)."
        case .unsupportedTransferCoding: "Only the chunked transfer coding is supported."
        case .bodyTooLarge: "The request body is too large."
        case .invalidChunkSize: "A chunk size is malformed."
        case .chunkSizeLineTooLong: "A chunk size line is too long."
        case .invalidChunkTerminator: "Chunk data must be followed by CRLF."
        case .unsupportedExpectation: "Only the 100-continue expectation is supported."
        }
    }
}
