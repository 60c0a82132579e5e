import HTTP1

/// One request's place in a connection's response order.
///
/// HTTP/1.1 pipelining requires responses in request order (RFC 9112 §9.3.2), but handlers may
/// finish out of order (a deferred or streaming response before a quick one). Bytes for a slot
/// that is not first in line wait in `pending`; when the first slot finishes, the next one's
/// pending bytes go out and it becomes first. Loop-confined.
final class ResponseSlot {
    /// Request keep-alive and response framing together: whether the connection may continue.
    var keepAlive: Bool
    /// A HEAD request: headers only.
    let omitBody: Bool
    /// Chunked framing for a streamed body (false: close-delimited, for HTTP/1.0).
    var chunked = true
    /// The request's HTTP version, for a deferred response that turns into a stream.
    var requestVersion: HTTPVersion = .http1_1
    /// Whether a head has been produced (a deferred slot has none until it responds).
    var started = false
    /// Whether the response is complete.
    var finished = false
    /// Bytes produced while an earlier slot was still in progress.
    var pending: [UInt8] = []
    /// Called if the connection goes away before the response finished (stop producing).
    var onAbandon: [@Sendable () -> Void] = []
    /// The request asked for a protocol upgrade (an error answer is a refused upgrade).
    var upgrade = false

    init(keepAlive: Bool, omitBody: Bool) {
        self.keepAlive = keepAlive
        self.omitBody = omitBody
    }
}
