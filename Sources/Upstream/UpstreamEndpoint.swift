/// Where an upstream lives and how to reach it: what a connection pool is keyed by.
public struct UpstreamEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// Host name or IP literal.
    public var host: String
    /// Port.
    public var port: Int
    /// Whether to speak TLS.
    public var isTLS: Bool
    /// CA file trusted instead of the system store (TLS only).
    public var caFile: String?
    /// TCP connect plus TLS handshake timeout.
    public var connectTimeout: Duration

    /// Creates an endpoint.
    public init(host: String, port: Int, isTLS: Bool, caFile: String? = nil, connectTimeout: Duration = .seconds(5)) {
        self.host = host
        self.port = port
        self.isTLS = isTLS
        self.caFile = caFile
        self.connectTimeout = connectTimeout
    }

    /// `scheme://host:port`.
    public var description: String { "\(isTLS ? "https" : "http")://\(host):\(port)" }
}
