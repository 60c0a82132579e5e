import ChatProtocol
import PersonaRuntime

/// A Socket.IO namespace's connection to its loop's hub: a ``VirtualConnection`` of the
/// ``HubShell``, opened when the client joins and closed when it leaves, so every namespace
/// door drives the same hub the same way. Loop-confined.
final class SocketIOHubLink {
    let shell: HubShell
    private var connection: VirtualConnection?

    init(shell: HubShell) {
        self.shell = shell
    }

    /// Whether the link is open.
    var isOpen: Bool { connection != nil }

    /// Opens the hub connection for `client`; the hub's frames go to `receive`, and
    /// `onClose` runs if the hub closes the connection (drain, overload).
    func open(client: ClientIdentity, receive: @escaping (ServerMessage) -> Void, onClose: (() -> Void)? = nil) {
        let connection = shell.openVirtual(client: client, receive: receive)
        if let onClose {
            connection.onClose = { [unowned self] _, _ in
                self.connection = nil
                onClose()
            }
        }
        self.connection = connection
    }

    /// Hands `message` to the hub; false when the link is not open.
    @discardableResult
    func deliver(_ message: ClientMessage) -> Bool {
        guard let connection else { return false }
        shell.deliver(message, on: connection.id)
        return true
    }

    /// Closes the hub connection (its sessions end as for a closed socket).
    func close() {
        guard let connection else { return }
        self.connection = nil
        shell.closeVirtual(connection.id)
    }
}
