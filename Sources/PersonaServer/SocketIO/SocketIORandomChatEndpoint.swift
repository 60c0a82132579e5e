import ChatProtocol
import JSON
import PersonaRuntime

/// The random-chat compatibility profile (namespace `/compat/random-chat`): the event shape of
/// common random-chat backends, mapped onto the same hub as `/v1/ws` (a ``VirtualConnection``
/// per client). The event table is in the README ("Socket.IO → compatibility profiles").
///
/// One chat at a time per client: `join_random_chat` while one runs ends it first. Bot replies
/// stream as `ai_chatbot_response` with `partial: true` per token and one `partial: false`
/// carrying the whole reply; a human partner's messages arrive as `random_chat_event`.
final class SocketIORandomChatEndpoint: SocketIOEndpoint {
    static let namespace = "/compat/random-chat"

    private let link: SocketIOHubLink
    private weak var socket: SocketIOSocket?
    private var nextID = 0
    /// The reply being streamed, per session: its tokens so far.
    private var replies: [String: String] = [:]
    /// Sessions that are bot chats (their frames become `ai_chatbot_*` events).
    private var botSessions: Set<String> = []

    init(shell: HubShell) {
        link = SocketIOHubLink(shell: shell)
    }

    func admit(_ namespace: String, auth: JSONValue?, socket: SocketIOSocket) -> String? {
        namespace == Self.namespace ? nil : "Invalid namespace"
    }

    func joined(_ namespace: String, auth: JSONValue?, socket: SocketIOSocket) {
        self.socket = socket
        link.open(client: socket.hubClient(auth: auth), receive: { [unowned self] message in forward(message) })
    }

    func event(_ namespace: String, name: String, arguments: [JSONValue], ackID: UInt64?, socket: SocketIOSocket) {
        guard link.isOpen else { return }
        let payload = arguments.first ?? .object(JSONObject())
        let message: ClientMessage
        switch name {
        case "join_random_chat":
            let tags = payload["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
            message = .start(
                StartRequest(
                    mode: .random(
                        RandomFilters(
                            language: payload["language"]?.stringValue, tags: tags,
                            tenant: payload["tenant"]?.stringValue))))
        case "send_message_to_ai_chatbot", "send_random_chat_message":
            let session = (payload["session_id"] ?? payload["chat_id"])?.stringValue ?? ""
            nextID += 1
            message = .message(session: session, text: payload["message"]?.stringValue ?? "", id: "rc-\(nextID)")
        case "random_chat_typing":
            message = .typing(session: payload["chat_id"]?.stringValue ?? "", on: payload["typing"]?.boolValue ?? true)
        case "end_ai_chatbot_session", "leave_random_chat":
            message = .end(session: (payload["session_id"] ?? payload["chat_id"])?.stringValue ?? "")
        default:
            emit("error", ["message": .string("unknown event '\(name)'"), "code": "unknown_event"])
            return
        }
        link.deliver(message)
        if let ackID { socket.ack(namespace, id: ackID, arguments: [["ok": true]]) }
    }

    func left(_ namespace: String, socket: SocketIOSocket) {
        link.close()
    }

    private func emit(_ name: String, _ payload: JSONValue) {
        socket?.emit(Self.namespace, name, [payload])
    }

    private func forward(_ message: ServerMessage) {
        switch message {
        case .matching(let session, let timeout, _):
            emit("random_chat_event", ["type": "searching", "chat_id": .string(session), "timeout_ms": .integer(timeout)])
        case .sessionStarted(let start):
            if start.kind == .bot {
                botSessions.insert(start.session)
                let personality: JSONValue =
                    start.personality.map { ["id": .string($0.id), "name": .string($0.name)] } ?? .null
                emit("ai_chatbot_session_created", ["session_id": .string(start.session), "personality": personality])
                if let greeting = start.greeting {
                    emit(
                        "ai_chatbot_response",
                        ["session_id": .string(start.session), "message": .string(greeting), "partial": false])
                }
            } else {
                emit("random_chat_event", ["type": "matched", "chat_id": .string(start.session)])
            }
        case .token(let session, _, let delta):
            replies[session, default: ""] += delta
            emit("ai_chatbot_response", ["session_id": .string(session), "message": .string(delta), "partial": true])
        case .replyEnd(let session, _, _, _, _):
            let text = replies.removeValue(forKey: session) ?? ""
            emit("ai_chatbot_response", ["session_id": .string(session), "message": .string(text), "partial": false])
        case .partnerMessage(let session, _, let text):
            emit("random_chat_event", ["type": "message", "chat_id": .string(session), "message": .string(text)])
        case .partnerTyping(let session, let on):
            emit("random_chat_event", ["type": "typing", "chat_id": .string(session), "typing": .bool(on)])
        case .sessionEnded(let session, let reason, let farewell):
            replies[session] = nil
            if botSessions.remove(session) != nil {
                emit(
                    "ai_chatbot_session_ended",
                    [
                        "session_id": .string(session), "reason": .string(reason.rawValue),
                        "farewell": farewell.map(JSONValue.string) ?? .null,
                    ])
            } else {
                emit("random_chat_event", ["type": "ended", "chat_id": .string(session), "reason": .string(reason.rawValue)])
            }
        case .error(let report):
            emit(
                "error",
                [
                    "message": .string(report.message), "code": .string(report.code.rawValue),
                    "session_id": report.session.map(JSONValue.string) ?? .null,
                ])
        default:
            break  // welcome, ack, reply_start, pong: nothing in this profile
        }
    }
}
