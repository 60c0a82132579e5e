extension WebSocketConnection {
    /// Limits and timers of one connection. Every duration is measured on the injected clock.
    public struct Configuration: Sendable, Hashable {
        /// Frame and message size limits (1009), default 1 MiB each.
        public var frameLimits: WebSocketFrameParser.Configuration
        /// Silence (no bytes from the peer) after which we send a ping. Default 30 s; nil disables.
        public var pingInterval: Duration?
        /// Silence after which the peer is considered dead: we send close 1001 best-effort and
        /// close the transport at once. Default 75 s (two and a half ping intervals, so a peer
        /// that answers pings is never idle); nil disables.
        public var idleTimeout: Duration?
        /// How long to wait for the peer's close after sending ours (§7.1.1). Default 5 s.
        public var closeTimeout: Duration
        /// Slow-reader policy: the most bytes the transport may hold unsent for this connection.
        /// The transport reports its count through `outboundBufferedBytesChanged`; above this
        /// the connection is closed with 1008 and the backlog discarded (no close frame could
        /// overtake it anyway). Default 4 MiB — several full messages, far above a chat stream.
        public var maxOutboundBufferedBytes: Int

        /// Creates a configuration; parameters default to the documented values.
        public init(
            frameLimits: WebSocketFrameParser.Configuration = .init(),
            pingInterval: Duration? = .seconds(30),
            idleTimeout: Duration? = .seconds(75),
            closeTimeout: Duration = .seconds(5),
            maxOutboundBufferedBytes: Int = 4 << 20
        ) {
            self.frameLimits = frameLimits
            self.pingInterval = pingInterval
            self.idleTimeout = idleTimeout
            self.closeTimeout = closeTimeout
            self.maxOutboundBufferedBytes = maxOutboundBufferedBytes
        }
    }
}
