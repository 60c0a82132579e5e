import Diagnostics

/// One OpenAI-compatible upstream from `upstreams.yaml`: where it is, which model, which
/// environment variable holds its key, and how long to wait for it.
public struct UpstreamDefinition: Hashable, Sendable {
    /// Timeouts, each with a documented default.
    public struct Timeouts: Hashable, Sendable {
        /// TCP connect plus TLS handshake. Default 5 s.
        public var connect: Duration = .seconds(5)
        /// From sending the request to the first content token. Default 30 s.
        public var firstToken: Duration = .seconds(30)
        /// Longest silence between two tokens once streaming. Default 30 s.
        public var betweenTokens: Duration = .seconds(30)
        /// The whole reply, retries included. Default 120 s.
        public var total: Duration = .seconds(120)

        /// Creates the defaults.
        public init() {}
    }

    /// The name personalities refer to.
    public var name: String
    /// The base URL as written (`https://api.openai.com/v1`).
    public var baseURL: String
    /// `https` or `http`.
    public var isTLS: Bool
    /// Host name or IP literal (without brackets).
    public var host: String
    /// Port (default 443 for https, 80 for http).
    public var port: Int
    /// Path prefix without a trailing `/` (`/v1`); requests go to `basePath + /chat/completions`.
    public var basePath: String
    /// The model name sent in each request.
    public var model: String
    /// The environment variable holding the API key, if the upstream needs one.
    public var apiKeyEnvironmentVariable: String?
    /// Extra request header fields, sorted by name.
    public var headers: [String: String]
    /// Timeouts.
    public var timeouts: Timeouts
    /// Most requests in flight to this upstream at once, per server. Default 64.
    public var maxConcurrent: Int
    /// Extra attempts after a 429 or 5xx answer before the first token. Default 2.
    public var retries: Int
    /// A PEM file of CA certificates trusted for this upstream instead of the system store.
    public var caFile: String?
    /// Consecutive failures that open the circuit breaker. Default 5.
    public var breakerFailures: Int
    /// How long an open breaker refuses requests before letting one probe through. Default 30 s.
    public var breakerCooldown: Duration
    /// Where the upstream was defined.
    public var location: SourceLocationBox?

    /// Creates a definition (tests; authors write YAML).
    public init(
        name: String, baseURL: String, model: String, apiKeyEnvironmentVariable: String? = nil,
        headers: [String: String] = [:], timeouts: Timeouts = Timeouts(), maxConcurrent: Int = 64,
        retries: Int = 2, caFile: String? = nil, breakerFailures: Int = 5, breakerCooldown: Duration = .seconds(30),
        location: SourceLocationBox? = nil
    ) throws(UpstreamURLError) {
        let parsed = try UpstreamURL(parsing: baseURL)
        self.name = name
        self.baseURL = baseURL
        self.isTLS = parsed.isTLS
        self.host = parsed.host
        self.port = parsed.port
        self.basePath = parsed.basePath
        self.model = model
        self.apiKeyEnvironmentVariable = apiKeyEnvironmentVariable
        self.headers = headers
        self.timeouts = timeouts
        self.maxConcurrent = maxConcurrent
        self.retries = retries
        self.caFile = caFile
        self.breakerFailures = breakerFailures
        self.breakerCooldown = breakerCooldown
        self.location = location
    }

    /// `host:port` as sent in the `Host` header (the port only when not the scheme's default).
    public var hostHeader: String {
        let literal = host.contains(":") ? "[\(host)]" : host
        return port == (isTLS ? 443 : 80) ? literal : "\(literal):\(port)"
    }
}

/// Why a `base_url` was refused.
public struct UpstreamURLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var description: String
}

/// A parsed `http://` or `https://` base URL (no user info, query or fragment).
public struct UpstreamURL: Hashable, Sendable {
    /// Whether the scheme is `https`.
    public var isTLS: Bool
    /// Host name or IP literal, brackets removed.
    public var host: String
    /// Port.
    public var port: Int
    /// Path without a trailing `/`.
    public var basePath: String

    /// Parses `text`.
    public init(parsing text: String) throws(UpstreamURLError) {
        let rest: Substring
        if text.hasPrefix("https://") {
            isTLS = true
            rest = text.dropFirst(8)
        } else if text.hasPrefix("http://") {
            isTLS = false
            rest = text.dropFirst(7)
        } else {
            throw UpstreamURLError(description: "'\(text)' must start with https:// or http://")
        }
        guard !rest.contains("?"), !rest.contains("#"), !rest.contains(" ") else {
            throw UpstreamURLError(description: "'\(text)' may not hold a query, fragment or space")
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        while path.hasSuffix("/") { path.removeLast() }
        guard !authority.contains("@") else {
            throw UpstreamURLError(description: "'\(text)' may not hold user info; use api_key_env")
        }
        var hostPart = authority
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw UpstreamURLError(description: "'\(text)': unclosed '['")
            }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portPart = after.dropFirst() } else if !after.isEmpty {
                throw UpstreamURLError(description: "'\(text)': bad authority")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty else { throw UpstreamURLError(description: "'\(text)' has no host") }
        let port = portPart.map { Int($0) } ?? (isTLS ? 443 : 80)
        guard let port, (1...65535).contains(port) else {
            throw UpstreamURLError(description: "'\(text)' has a bad port")
        }
        host = String(hostPart).lowercased()
        self.port = port
        basePath = path
    }
}
