/// A response's status line and header section.
public struct HTTP1ResponseHead: Sendable, Hashable {
    /// The status code and reason phrase.
    public var status: HTTPStatus
    /// The version on the status line; the server always answers `HTTP/1.1` (RFC 9110 §6.2).
    public var version: HTTPVersion
    /// The header fields in the order they will be written.
    public var headers: HTTPHeaders

    /// Creates a response head.
    public init(status: HTTPStatus, version: HTTPVersion = .http1_1, headers: HTTPHeaders = [:]) {
        self.status = status
        self.version = version
        self.headers = headers
    }
}
