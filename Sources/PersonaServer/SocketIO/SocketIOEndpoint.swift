import JSON

/// The application behind `/socket.io/`: one per Engine.IO session, made on the session's loop
/// and called only there. It decides who joins which namespace and what events mean; the
/// ``SocketIOSocket`` it is handed sends the answers.
package protocol SocketIOEndpoint: AnyObject {
    /// The client asks to join `namespace` with `auth` (the CONNECT payload). Return `nil` to
    /// accept (the CONNECT answer goes out, then ``joined(_:auth:socket:)`` runs), or the
    /// CONNECT_ERROR message.
    func admit(_ namespace: String, auth: JSONValue?, socket: SocketIOSocket) -> String?
    /// The client is now in `namespace`.
    func joined(_ namespace: String, auth: JSONValue?, socket: SocketIOSocket)
    /// An event arrived; answer `ackID`, when present, with ``SocketIOSocket/ack(_:id:arguments:)``.
    func event(_ namespace: String, name: String, arguments: [JSONValue], ackID: UInt64?, socket: SocketIOSocket)
    /// A binary event arrived with its attachments (placeholders `{"_placeholder":true,"num":i}`
    /// in `arguments` stand for `attachments[i]`). By default refused with
    /// ``SocketIOSocket/refuseBinary(_:name:ackID:)``: only the diagnostic echo takes them.
    func binaryEvent(
        _ namespace: String, name: String, arguments: [JSONValue], attachments: [[UInt8]], ackID: UInt64?,
        socket: SocketIOSocket)
    /// The client left `namespace`, or the connection ended while it was in it.
    func left(_ namespace: String, socket: SocketIOSocket)
}

extension SocketIOEndpoint {
    /// Refuses the binary event with `binary_not_supported`, as the ack when one was asked for.
    func binaryEvent(
        _ namespace: String, name: String, arguments: [JSONValue], attachments: [[UInt8]], ackID: UInt64?,
        socket: SocketIOSocket
    ) {
        socket.refuseBinary(namespace, name: name, ackID: ackID)
    }
}
