import TLS

/// Why an upstream exchange failed. The engine decides what each means for its reply.
public enum UpstreamError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The host name did not resolve.
    case resolve(String)
    /// TCP connect failed or timed out.
    case connect(String)
    /// The TLS handshake or a record failed (certificate and host name problems included).
    case tls(TLSError)
    /// The connection closed or was reset before the response was complete.
    case reset(String)
    /// The response broke HTTP/1.1 or event-stream framing.
    case malformed(String)
    /// A line or event exceeded a configured limit.
    case tooLarge(String)

    /// A sentence for logs.
    public var description: String {
        switch self {
        case .resolve(let detail): "cannot resolve \(detail)"
        case .connect(let detail): "cannot connect: \(detail)"
        case .tls(let error): error.description
        case .reset(let detail): "connection lost: \(detail)"
        case .malformed(let detail): "malformed response: \(detail)"
        case .tooLarge(let detail): "response too large: \(detail)"
        }
    }
}
