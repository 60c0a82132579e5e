import JSON
import Reactor

/// The diagnostic echo application (`persona serve --socketio-echo`), behaving like the
/// reference server of the Socket.IO protocol test suite, for conformance suites and proxy
/// checks: on joining `/` or `/custom` the client gets `auth` with its CONNECT payload (`{}`
/// when none); on `/`, `message` is answered with `message-back` and the same arguments and
/// `message-with-ack` is acknowledged with its arguments, and the same for binary events: their
/// arguments (placeholders and all) and attachments come back as a BINARY_EVENT or BINARY_ACK.
/// Any other namespace is refused with `Invalid namespace`.
///
/// `auth` leaves ``authDelay`` after the CONNECT answer, as a write of its own: a client that
/// waits for the answer and only then listens for the next message (the protocol test suite's
/// way, on a WebSocket client that delivers every frame of one read at once) would otherwise
/// miss `auth` read together with the answer. The order stays the reference server's: whatever
/// the client makes the echo send before the delay is up (an event's answer, another CONNECT
/// answer) sends the `auth` still due first.
final class SocketIOEchoEndpoint: SocketIOEndpoint {
    static let namespaces: Set<String> = ["/", "/custom"]
    /// How long after the CONNECT answer `auth` goes out: 5 ms.
    static let authDelay: Duration = .milliseconds(5)
    /// The joined namespaces whose `auth` has not gone out yet, with its payload, oldest first.
    private var authDue: [(namespace: String, payload: JSONValue)] = []
    private var authTimer: TimerID?

    func admit(_ namespace: String, auth: JSONValue?, socket: SocketIOSocket) -> String? {
        sendDueAuth(socket: socket)
        return Self.namespaces.contains(namespace) ? nil : "Invalid namespace"
    }

    func joined(_ namespace: String, auth: JSONValue?, socket: SocketIOSocket) {
        authDue.append((namespace, auth ?? .object(JSONObject())))
        guard authTimer == nil else { return }
        // Strong captures: the timer is at most authDelay away, and sending to a socket that
        // has closed meanwhile does nothing.
        authTimer = socket.loop.scheduleTimer(after: Self.authDelay) { [self] in
            authTimer = nil
            sendDueAuth(socket: socket)
        }
    }

    /// Sends every `auth` still due, oldest first.
    private func sendDueAuth(socket: SocketIOSocket) {
        guard !authDue.isEmpty else { return }
        let due = authDue
        authDue = []
        for entry in due { socket.emit(entry.namespace, "auth", [entry.payload]) }
    }

    func event(_ namespace: String, name: String, arguments: [JSONValue], ackID: UInt64?, socket: SocketIOSocket) {
        sendDueAuth(socket: socket)
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
        sendDueAuth(socket: socket)
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

    func left(_ namespace: String, socket: SocketIOSocket) {
        authDue.removeAll { $0.namespace == namespace }
    }
}
