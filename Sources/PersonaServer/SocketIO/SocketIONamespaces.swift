import JSON

/// The chat mode's namespaces for one Engine.IO session: `/` (the native protocol as events)
/// and the compatibility profiles, each its own endpoint with its own hub connection, made
/// when the client first joins it. Any other namespace is refused with `Invalid namespace`.
final class SocketIONamespaces: SocketIOEndpoint {
    private let shell: HubShell
    private let deployments: [String: SocketIODeployment]
    private var endpoints: [String: any SocketIOEndpoint] = [:]

    init(shell: HubShell, deployments: [String: SocketIODeployment]) {
        self.shell = shell
        self.deployments = deployments
    }

    private func endpoint(for namespace: String) -> (any SocketIOEndpoint)? {
        if let existing = endpoints[namespace] { return existing }
        let made: any SocketIOEndpoint
        switch namespace {
        case "/": made = SocketIOChatEndpoint(shell: shell)
        case SocketIORandomChatEndpoint.namespace: made = SocketIORandomChatEndpoint(shell: shell)
        case SocketIOWidgetEndpoint.namespace: made = SocketIOWidgetEndpoint(shell: shell, deployments: deployments)
        default: return nil
        }
        endpoints[namespace] = made
        return made
    }

    func admit(_ namespace: String, auth: JSONValue?, socket: SocketIOSocket) -> String? {
        guard let endpoint = endpoint(for: namespace) else { return "Invalid namespace" }
        return endpoint.admit(namespace, auth: auth, socket: socket)
    }

    func joined(_ namespace: String, auth: JSONValue?, socket: SocketIOSocket) {
        endpoints[namespace]?.joined(namespace, auth: auth, socket: socket)
    }

    func event(_ namespace: String, name: String, arguments: [JSONValue], ackID: UInt64?, socket: SocketIOSocket) {
        endpoints[namespace]?.event(namespace, name: name, arguments: arguments, ackID: ackID, socket: socket)
    }

    func left(_ namespace: String, socket: SocketIOSocket) {
        // A later CONNECT to the same namespace starts afresh.
        endpoints.removeValue(forKey: namespace)?.left(namespace, socket: socket)
    }
}
