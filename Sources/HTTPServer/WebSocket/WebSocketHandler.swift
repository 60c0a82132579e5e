import WebSocket

/// The application side of one WebSocket connection. Every call arrives on the connection's
/// loop, in order; keep work short or hand it off (and reply later through the handle, from
/// any thread).
public protocol WebSocketHandler: AnyObject {
    /// The handshake completed; `socket` can send from now on. Default: nothing.
    func webSocketDidOpen(_ socket: WebSocketHandle)
    /// A complete message arrived (fragments reassembled, text validated as UTF-8).
    func webSocket(_ socket: WebSocketHandle, didReceive message: WebSocketMessage)
    /// A complete text message (validated UTF-8), as bytes valid only during the call: a
    /// handler that decodes bytes implements this to skip making a `String` (text arriving
    /// whole in one read comes this way). Default: ``webSocket(_:didReceive:)`` with the text.
    func webSocket(_ socket: WebSocketHandle, didReceiveText utf8: UnsafeBufferPointer<UInt8>)
    /// Output that had backed up (the peer was not reading) has all gone out: a producer that
    /// paused on ``WebSocketHandle/isBackedUp`` may resume. Default: nothing.
    func webSocketDidDrain(_ socket: WebSocketHandle)
    /// The connection ended; `closure` says how (1006 when TCP went away without a close
    /// handshake). Called once. Default: nothing.
    func webSocketDidClose(_ socket: WebSocketHandle, closure: WebSocketClosure)
}

extension WebSocketHandler {
    /// Does nothing.
    public func webSocketDidOpen(_ socket: WebSocketHandle) {}
    /// Makes a `String` of the text and calls ``webSocket(_:didReceive:)``.
    public func webSocket(_ socket: WebSocketHandle, didReceiveText utf8: UnsafeBufferPointer<UInt8>) {
        webSocket(socket, didReceive: .text(String(decoding: utf8, as: UTF8.self)))
    }
    /// Does nothing.
    public func webSocketDidDrain(_ socket: WebSocketHandle) {}
    /// Does nothing.
    public func webSocketDidClose(_ socket: WebSocketHandle, closure: WebSocketClosure) {}
}

/// A route's decision to accept a WebSocket upgrade.
public struct WebSocketUpgrade: Sendable {
    /// Makes the handler for the new connection (called on its loop, once the handshake is valid).
    public var makeHandler: @Sendable () -> any WebSocketHandler
    /// Subprotocols this endpoint speaks, in preference order (RFC 6455 §1.9).
    public var subprotocols: [String]
    /// This endpoint's own largest message (and frame), when its protocol has one below the
    /// server's `WebSocketConfiguration.maxMessageSize`: a frame whose header announces more is
    /// refused with 1009 before its payload is read. `nil` keeps the server's.
    public var maxMessageSize: Int?
    /// This endpoint's own bound on a slow reader's queue, below the server's; `nil` keeps it.
    public var maxOutboundBytes: Int?
    /// A last message sent before the close frame when the connection is failed (1002, 1007,
    /// 1009), so the endpoint's protocol can name the error in its own terms.
    public var failureNotice: (@Sendable (WebSocketProtocolError) -> WebSocketMessage?)?

    /// Accepts with `makeHandler`, speaking `subprotocols`, with the endpoint's own limits.
    public init(
        subprotocols: [String] = [], maxMessageSize: Int? = nil, maxOutboundBytes: Int? = nil,
        failureNotice: (@Sendable (WebSocketProtocolError) -> WebSocketMessage?)? = nil,
        makeHandler: @escaping @Sendable () -> any WebSocketHandler
    ) {
        self.makeHandler = makeHandler
        self.subprotocols = subprotocols
        self.maxMessageSize = maxMessageSize
        self.maxOutboundBytes = maxOutboundBytes
        self.failureNotice = failureNotice
    }
}
