import HTTP1

/// One request to an upstream.
public struct UpstreamRequest: Sendable {
    /// The method.
    public var method: HTTPMethod
    /// The request target (path and query).
    public var target: String
    /// Header fields; `Host`, `Content-Length` and `Connection` are set by the client.
    public var headers: HTTPHeaders
    /// The body.
    public var body: [UInt8]
    /// Whether an event-stream response should be delivered as events.
    public var streamsEvents: Bool

    /// Creates a request.
    public init(
        method: HTTPMethod = .post, target: String, headers: HTTPHeaders = [:], body: [UInt8] = [],
        streamsEvents: Bool = true
    ) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.streamsEvents = streamsEvents
    }
}

/// What an exchange reports to its owner, on the loop thread.
public enum UpstreamEvent: Sendable {
    /// The response head arrived.
    case head(HTTP1ResponseHead)
    /// Body bytes of a response that is not an event stream.
    case body([UInt8])
    /// Events of an event-stream response.
    case events([ServerSentEvent])
    /// The response is complete.
    case end
    /// The exchange failed; nothing follows.
    case failed(UpstreamError)
}
