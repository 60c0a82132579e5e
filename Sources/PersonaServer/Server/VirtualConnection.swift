import ChatProtocol
import PersonaRuntime

/// A hub connection with no socket behind it: a door that is not a WebSocket (an HTTP request,
/// a REST session between requests) holds one, so its sessions run through the same hub and
/// pipeline as every `/v1/ws` connection. The shell hands the frames the hub addresses to it
/// to ``receive`` instead of encoding them onto a socket.
///
/// Loop-confined, like its ``HubShell``.
final class VirtualConnection {
    /// The connection's id in its hub.
    let id: ConnectionID
    /// Where frames for this connection go; the current listener replaces it.
    var receive: (ServerMessage) -> Void
    /// Called once if the hub asks to close the connection (drain, overload).
    var onClose: ((UInt16, String) -> Void)?

    init(id: ConnectionID, receive: @escaping (ServerMessage) -> Void) {
        self.id = id
        self.receive = receive
    }
}
