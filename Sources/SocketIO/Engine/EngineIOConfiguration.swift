/// The Engine.IO settings a server announces and enforces, with the documented defaults (those
/// of the reference server, so clients behave as they would against it).
public struct EngineIOConfiguration: Sendable, Hashable {
    /// How often the server pings (`pingInterval` in the open packet). Default 25 s.
    public var pingInterval: Duration
    /// How long the client has to answer a ping with a pong before the session is closed
    /// (`pingTimeout`). Default 20 s.
    public var pingTimeout: Duration
    /// The largest polling payload (POST body) or WebSocket message accepted, in bytes
    /// (`maxPayload`); one past it is answered 413 (polling) or closes the WebSocket,
    /// and the session ends. Default 1,000,000.
    public var maxPayload: Int
    /// How long a probing WebSocket may take to send `upgrade` before it is closed and the
    /// session stays on polling. Default 10 s.
    public var upgradeTimeout: Duration
    /// Bytes of packets queued for a polling client that has not come back for them. One past
    /// it ends the session (a client that stopped polling must not cost unbounded memory).
    /// Default 4 MiB.
    public var maxQueuedBytes: Int

    /// Creates a configuration; every parameter defaults to the documented value.
    public init(
        pingInterval: Duration = .seconds(25), pingTimeout: Duration = .seconds(20), maxPayload: Int = 1_000_000,
        upgradeTimeout: Duration = .seconds(10), maxQueuedBytes: Int = 4 << 20
    ) {
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.maxPayload = maxPayload
        self.upgradeTimeout = upgradeTimeout
        self.maxQueuedBytes = maxQueuedBytes
    }

    /// The open packet's JSON for session `id` offering `upgrades`.
    public func openPayload(sid: String, upgrades: [String]) -> [UInt8] {
        var text = #"{"sid":""# + sid + #"","upgrades":["#
        text += upgrades.map { "\"\($0)\"" }.joined(separator: ",")
        text += #"],"pingInterval":\#(pingInterval.milliseconds),"pingTimeout":\#(pingTimeout.milliseconds),"#
        text += #""maxPayload":\#(maxPayload)}"#
        return Array(text.utf8)
    }
}

extension Duration {
    /// Whole milliseconds (the unit of the open packet).
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
