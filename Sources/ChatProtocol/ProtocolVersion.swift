/// The version of the native WebSocket chat protocol spoken on ``path``.
///
/// Version 1 is JSON text frames (RFC 8259), one message per frame, each an object whose `type`
/// member says what it is. A breaking change gets a new number and a new path (`/v2/ws`);
/// adding an optional field or a new server message type is not breaking (clients ignore what
/// they do not know, see ``ServerMessage/init(decoding:)``).
public enum ProtocolVersion {
    /// The version this module speaks: 1.
    public static let current = 1
    /// The WebSocket endpoint: `/v1/ws`.
    public static let path = "/v1/ws"
}
