import JSON

/// The diagnostic echo application (`persona serve --socketio-echo`), behaving like the
/// reference server of the Socket.IO protocol test suite, for conformance suites and proxy
/// checks: on joining `/` or `/custom` the client gets `auth` with its CONNECT payload (`{}`
/// when none); on `/`, `message` is answered with `message-back` and the same arguments and
/// `message-with-ack` is acknowledged with its arguments, and the same for binary events: their
/// arguments (placeholders and all) and attachments come back as a BINARY_EVENT or BINARY_ACK.
/// Any other namespace is refused with `Invalid namespace`.
final class SocketIOEchoEndpoint: SocketIOEndpoint {
    static let namespaces: Set<String> = ["/", "/custom"]

    func admit(_ namespace: String, auth: JSONValue?, socket: SocketIOSocket) -> String? {
        Self.namespaces.contains(namespace) ? nil : "Invalid namespace"
    }

    func joined(_ namespace: String, auth: JSONValue?, socket: SocketIOSocket) {
        socket.emit(namespace, "auth", [auth ?? .object(JSONObject())])
    }

    func event(_ namespace: String, name: String, arguments: [JSONValue], ackID: UInt64?, socket: SocketIOSocket) {
        guard namespace == "/" else { return }
        switch name {
        case "message":
            socket.emit(namespace, "message-back", arguments)
        case "message-with-ack":
            if let ackID { socket.ack(namespace, id: ackID, arguments: arguments) }
        default:
            break
        }
    }

    func binaryEvent(
        _ namespace: String, name: String, arguments: [JSONValue], attachments: [[UInt8]], ackID: UInt64?,
        socket: SocketIOSocket
    ) {
        guard namespace == "/" else { return }
        switch name {
        case "message":
            socket.emitBinary(namespace, "message-back", arguments, attachments: attachments)
        case "message-with-ack":
            if let ackID { socket.ackBinary(namespace, id: ackID, arguments: arguments, attachments: attachments) }
        default:
            break
        }
    }

    func left(_ namespace: String, socket: SocketIOSocket) {}
}
