/// Why a TLS connection could not be set up or went wrong. Rendered once, at the edge that
/// reports it (the upstream client turns it into an upstream failure).
public enum TLSError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The context could not be made (OpenSSL refused a setting or a file).
    case configuration(String)
    /// The CA file named in the configuration could not be read.
    case caFile(path: String, reason: String)
    /// The peer's certificate chain did not verify (unknown issuer, expired, wrong host, …).
    case certificate(String)
    /// The handshake or a record failed for another reason.
    case protocolFailure(String)
    /// The peer closed the TLS session (close_notify) or the socket mid-record.
    case closed

    /// A sentence for logs.
    public var description: String {
        switch self {
        case .configuration(let reason): "TLS configuration: \(reason)"
        case .caFile(let path, let reason): "TLS CA file '\(path)': \(reason)"
        case .certificate(let reason): "TLS certificate rejected: \(reason)"
        case .protocolFailure(let reason): "TLS failure: \(reason)"
        case .closed: "TLS session closed by the peer"
        }
    }
}
