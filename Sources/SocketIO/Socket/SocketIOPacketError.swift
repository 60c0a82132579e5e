/// Why a Socket.IO packet was refused. The connection that sent it is closed (Socket.IO v5:
/// an invalid packet ends the Engine.IO session).
public struct SocketIOPacketError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public var reason: String

    /// Creates an error.
    public init(_ reason: String) {
        self.reason = reason
    }

    /// The reason.
    public var description: String { "invalid Socket.IO packet: \(reason)" }
}
