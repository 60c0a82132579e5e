import ChatProtocol
import JSON
import PersonaRuntime
import Personality

/// The support-widget compatibility profile (namespace `/compat/widget`): CONNECT `auth`
/// `{deploymentKey, visitorId}` picks a deployment (a personality and a tenant, from
/// ``SocketIOServerConfiguration/deployments`` or the registry's `deployments.yaml`) and opens
/// a direct session on the same hub as `/v1/ws`. The event table is in the README ("Socket.IO → compatibility profiles").
///
/// An unknown key is told `error` `{"message":"Invalid deployment key"}` and disconnected from
/// the namespace. Replies stream as `message:partial` (our naming) under the id of the
/// `message:received` that completes them; the assistant's `typing:start`/`typing:stop` frame
/// each reply; presence is `online` when the conversation starts and `offline` when it ends
/// (after the farewell, as a `message:received`, when there is one). The agent paths (a human's
/// `role: "agent"` messages and typing) need a hub hand-off to a human, which does not exist yet.
final class SocketIOWidgetEndpoint: SocketIOEndpoint {
    static let namespace = "/compat/widget"

    private let link: SocketIOHubLink
    private let deployments: [String: SocketIODeployment]
    private weak var socket: SocketIOSocket?
    private var conversation: String?
    private var visitorID: String?
    private var nextMessage = 0
    private var reply = ""

    init(shell: HubShell, deployments: [String: SocketIODeployment]) {
        link = SocketIOHubLink(shell: shell)
        self.deployments = deployments
    }

    func admit(_ namespace: String, auth: JSONValue?, socket: SocketIOSocket) -> String? {
        // Admitted even with a wrong key: the profile answers it with an `error` event.
        namespace == Self.namespace ? nil : "Invalid namespace"
    }

    func joined(_ namespace: String, auth: JSONValue?, socket: SocketIOSocket) {
        self.socket = socket
        // An API key's tenant may use only its own tenant's deployments (or untenanted ones).
        guard let key = auth?["deploymentKey"]?.stringValue, let deployment = deployment(key),
            socket.client == nil || deployment.tenant == nil || deployment.tenant == socket.client?.tenant
        else {
            emit("error", ["message": "Invalid deployment key"])
            socket.disconnect(namespace)
            return
        }
        visitorID = auth?["visitorId"]?.stringValue
        var client = socket.hubClient(auth: nil)
        if socket.client == nil { client.tenant = deployment.tenant }
        link.open(client: client, receive: { [unowned self] message in forward(message) })
        link.deliver(.start(StartRequest(mode: .direct(personality: deployment.personality))))
    }

    /// The deployment `key` names: `--socketio-deployment` first, then `deployments.yaml` as the
    /// hub's registry has it now (a reload changes it for the next widget that connects).
    private func deployment(_ key: String) -> SocketIODeployment? {
        if let configured = deployments[key] { return configured }
        return link.shell.hub.snapshot.deployments[key].map {
            SocketIODeployment(personality: $0.personality, tenant: $0.tenant)
        }
    }

    func event(_ namespace: String, name: String, arguments: [JSONValue], ackID: UInt64?, socket: SocketIOSocket) {
        guard link.isOpen, let conversation else { return }
        let payload = arguments.first ?? .object(JSONObject())
        switch name {
        case "message:send":
            let content = payload["content"]?.stringValue ?? ""
            nextMessage += 1
            let id = "w\(nextMessage)"
            emit(
                "message:received",
                ["id": .string(id), "conversationId": .string(conversation), "role": "user", "content": .string(content)])
            link.deliver(.message(session: conversation, text: content, id: id))
        case "typing:start", "typing:stop":
            link.deliver(.typing(session: conversation, on: name == "typing:start"))
        default:
            emit("error", ["message": .string("unknown event '\(name)'")])
        }
        if let ackID { socket.ack(namespace, id: ackID, arguments: [["ok": true]]) }
    }

    func left(_ namespace: String, socket: SocketIOSocket) {
        link.close()
    }

    private func emit(_ name: String, _ payload: JSONValue) {
        socket?.emit(Self.namespace, name, [payload])
    }

    private func assistant(_ conversation: String) -> JSONValue {
        ["conversationId": .string(conversation), "participant": "assistant"]
    }

    private func forward(_ message: ServerMessage) {
        switch message {
        case .sessionStarted(let start):
            conversation = start.session
            let personality: JSONValue = start.personality.map { ["id": .string($0.id), "name": .string($0.name)] } ?? .null
            emit(
                "connected",
                [
                    "conversationId": .string(start.session), "visitorId": visitorID.map(JSONValue.string) ?? .null,
                    "personality": personality,
                ])
            emit("online", assistant(start.session))
            if let greeting = start.greeting {
                emit(
                    "message:received",
                    [
                        "id": .string("\(start.session)-greeting"), "conversationId": .string(start.session),
                        "role": "assistant", "content": .string(greeting),
                    ])
            }
        case .replyStart(let session, _, _, _):
            reply = ""
            emit("typing:start", assistant(session))
        case .token(let session, let number, let delta):
            reply += delta
            emit(
                "message:partial",
                ["id": .string("\(session)-r\(number)"), "conversationId": .string(session), "delta": .string(delta)])
        case .replyEnd(let session, let number, _, _, _):
            emit(
                "message:received",
                [
                    "id": .string("\(session)-r\(number)"), "conversationId": .string(session), "role": "assistant",
                    "content": .string(reply),
                ])
            emit("typing:stop", assistant(session))
        case .partnerTyping(let session, let on):
            emit(on ? "typing:start" : "typing:stop", ["conversationId": .string(session), "participant": "agent"])
        case .partnerMessage(let session, let seq, let text):
            emit(
                "message:received",
                ["id": .string("\(session)-p\(seq)"), "conversationId": .string(session), "role": "agent", "content": .string(text)])
        case .sessionEnded(let session, _, let farewell):
            // The farewell (at a limit, say) is the assistant's last message, then it goes offline.
            if let farewell {
                emit(
                    "message:received",
                    [
                        "id": .string("\(session)-farewell"), "conversationId": .string(session), "role": "assistant",
                        "content": .string(farewell),
                    ])
            }
            emit("offline", assistant(session))
        case .error(let report):
            emit("error", ["message": .string(report.message), "code": .string(report.code.rawValue)])
        default:
            break  // welcome, ack, matching, pong: nothing in this profile
        }
    }
}

/// What a widget deployment key stands for.
public struct SocketIODeployment: Sendable, Hashable {
    /// The personality the widget talks to.
    public var personality: String
    /// The tenant its sessions count against, if any.
    public var tenant: String?

    /// Creates a deployment.
    public init(personality: String, tenant: String? = nil) {
        self.personality = personality
        self.tenant = tenant
    }
}
