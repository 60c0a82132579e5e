import HTTP1

/// Runs on the connection's loop for each complete request and says how to answer it.
public typealias HTTPHandler = @Sendable (HTTPRequest) -> HTTPHandlerResult

/// How a route answers a request.
public enum HTTPHandlerResult: Sendable {
    /// A complete response, written at once.
    case response(HTTPResponse)
    /// A streamed response: the head goes out now with `Transfer-Encoding: chunked` (close-
    /// delimited for HTTP/1.0 clients), then `start` receives a stream to write body pieces or
    /// Server-Sent Events from any thread, and must eventually `finish()` it.
    case stream(HTTP1ResponseHead, @Sendable (HTTPResponseStream) -> Void)
    /// A response produced later (off-loop work): `start` receives a stream on which to call
    /// ``HTTPResponseStream/respond(_:)`` exactly once, from any thread.
    case deferred(@Sendable (HTTPResponseStream) -> Void)
    /// Switch to WebSocket (only valid for a WebSocket upgrade request; anything else gets 400).
    case webSocket(WebSocketUpgrade)
}
