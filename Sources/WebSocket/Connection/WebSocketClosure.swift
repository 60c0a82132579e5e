/// How and why a connection ended: what the transport layer needs to close the socket and
/// what the application may log or report.
public struct WebSocketClosure: Sendable, Hashable {
    /// Why the connection ended.
    public enum Cause: Sendable, Hashable {
        /// The close handshake completed (either side started it).
        case closeHandshake
        /// We failed the connection for a protocol violation (§7.1.7).
        case protocolError(WebSocketProtocolError)
        /// The peer was silent past `idleTimeout`.
        case idleTimeout
        /// We sent close and the peer did not answer within `closeTimeout`.
        case closeTimeout
        /// The peer read too slowly: our outbound buffer passed `maxOutboundBufferedBytes`.
        case outboundBufferOverflow
        /// The transport closed without a close handshake (1006).
        case transportClosed
    }

    /// The code that describes the end: the peer's code after a handshake the peer started
    /// (1005 if it sent none), ours otherwise, 1006 for a lost transport.
    public var code: WebSocketCloseCode
    /// The close reason received or sent.
    public var reason: String
    /// Why.
    public var cause: Cause

    /// Creates a closure.
    public init(code: WebSocketCloseCode, reason: String, cause: Cause) {
        self.code = code
        self.reason = reason
        self.cause = cause
    }

    /// Whether the transport should drop unsent bytes instead of flushing them first: true when
    /// flushing could take forever (slow reader, unanswered close).
    public var discardsPendingWrites: Bool {
        switch cause {
        case .outboundBufferOverflow, .closeTimeout, .idleTimeout, .transportClosed: true
        case .closeHandshake, .protocolError: false
        }
    }
}
