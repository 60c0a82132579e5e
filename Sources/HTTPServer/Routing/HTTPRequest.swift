import HTTP1
import Reactor

/// A complete request as a route handler sees it: the parsed head, the whole body (bounded by
/// `HTTP1Parser.Configuration.maxBodySize`), and where it came from.
public struct HTTPRequest: Sendable {
    /// The parsed, validated request head.
    public var head: HTTP1RequestHead
    /// The body, de-chunked.
    public var body: [UInt8]
    /// Values of `:name` segments in the matched route pattern.
    public var pathParameters: [String: String]
    /// The TCP peer's address (a proxy, when one is in front).
    public var remoteAddress: SocketAddress?
    /// The client's address: the peer, or who a trusted proxy says the client is (see
    /// `HTTPServerConfiguration.trustedProxies`). Rate limits and logs key on this.
    public var clientAddress: SocketAddress?
    /// The loop the connection lives on; handlers run here, and off-loop work comes back here.
    public var eventLoop: EventLoop

    /// The method.
    public var method: HTTPMethod { head.method }
    /// The path, without the query.
    public var path: String { String(head.path) }
    /// The query string after `?`, if any.
    public var query: String? { head.query.map(String.init) }
    /// The header fields.
    public var headers: HTTPHeaders { head.headers }

    /// Creates a request (the server builds these; tests may too).
    public init(
        head: HTTP1RequestHead, body: [UInt8] = [], pathParameters: [String: String] = [:],
        remoteAddress: SocketAddress? = nil, clientAddress: SocketAddress? = nil, eventLoop: EventLoop
    ) {
        self.clientAddress = clientAddress ?? remoteAddress
        self.head = head
        self.body = body
        self.pathParameters = pathParameters
        self.remoteAddress = remoteAddress
        self.eventLoop = eventLoop
    }

    /// The value of `name` in the query string (no percent-decoding beyond `+` → space).
    public func queryValue(_ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.first.map(String.init) == name {
                return parts.count > 1 ? String(parts[1]).replacingPlus() : ""
            }
        }
        return nil
    }
}

extension String {
    fileprivate func replacingPlus() -> String {
        String(map { $0 == "+" ? " " : $0 })
    }
}
