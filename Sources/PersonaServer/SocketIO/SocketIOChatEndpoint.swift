import ChatProtocol
import JSON
import PersonaRuntime

/// Chat over Socket.IO: namespace `/` carries the native `/v1/ws` protocol as events, through
/// the same hub and pipeline (the session is a ``VirtualConnection`` of this loop's
/// ``HubShell``; nothing of the chat is re-implemented here).
///
/// - Client → server: the event name is the native `type` (`start`, `message`, `typing`,
///   `cancel`, `end`, `next`, `resume`, `ping`), its first argument the native fields as an
///   object (`{"personality":"captain-redbeard"}`). The adapter adds the `type` and hands the
///   decoded `ClientMessage` to the hub; a payload the native decoder refuses gets the native
///   `error` (as the ack when one was asked for, else as an `error` event).
/// - Server → client: every native frame becomes an event named by its `type` with the frame
///   itself (type included) as the one argument: `welcome`, `session_started`, `token`,
///   `reply_end`, `partner_message`, `session_ended`, `error`, …
/// - Acks: an event sent with an ack gets, as the ack's one argument, the frame that answers
///   it: `message` → its `ack` or the `error` whose `ref` is its `id`; `start` → `matching`,
///   `session_started` or the `error` for its `session_ref` (one is made up, `sio-N`, when the
///   client sent none); `resume` → `session_resumed` or the `error` for that session; `end` →
///   `session_ended` or the error; `typing`, `cancel`, `next`, `ping` → the `error` the hub
///   answered at once, or `{"type":"ok"}` (`pong` for `ping`).
/// - Identity: the API key the Engine.IO handshake presented (its tier, tenant and allow-list,
///   exactly as on `/v1/ws`); without one, CONNECT `auth` `api_key` (counted like the REST
///   door's bearer: rate limits and quotas per key instead of per IP) and `tenant` (see
///   ``SocketIOSocket/hubClient(auth:)``). Other members are ignored. Only `/` exists; other
///   namespaces get `Invalid namespace`.
final class SocketIOChatEndpoint: SocketIOEndpoint {
    private let link: SocketIOHubLink
    private weak var socket: SocketIOSocket?
    private var pending: [AckKey: [UInt64]] = [:]
    private var nextRef = 0
    private var scratch: [UInt8] = []
    /// Frames the hub sent while a client event was being delivered (the synchronous answers).
    private var collected: [ServerMessage]?
    private let decoder = ClientMessageDecoder()

    private enum AckKey: Hashable {
        case message(String)
        case start(String)
        case resume(String)
        case end(String)
    }

    init(shell: HubShell) {
        link = SocketIOHubLink(shell: shell)
    }

    func admit(_ namespace: String, auth: JSONValue?, socket: SocketIOSocket) -> String? {
        guard namespace == "/" else { return "Invalid namespace" }
        if let auth, auth.objectValue == nil { return "auth must be an object" }
        return nil
    }

    func joined(_ namespace: String, auth: JSONValue?, socket: SocketIOSocket) {
        self.socket = socket
        link.open(client: socket.hubClient(auth: auth), receive: { [unowned self] message in forward(message) }) { [unowned self] in
            self.socket?.disconnect("/")
        }
    }

    func event(_ namespace: String, name: String, arguments: [JSONValue], ackID: UInt64?, socket: SocketIOSocket) {
        guard link.isOpen else { return }
        var members: [(String, JSONValue)] = [("type", .string(name))]
        if let object = arguments.first?.objectValue {
            for (key, value) in object where key != "type" { members.append((key, value)) }
        }
        if name == "start", ackID != nil, !members.contains(where: { $0.0 == "session_ref" }) {
            nextRef += 1
            members.append(("session_ref", .string("sio-\(nextRef)")))
        }
        let message: ClientMessage
        do {
            message = try decoder.decode(JSONValue.object(JSONObject(members)).serializedBytes())
        } catch {
            answer(ackID, or: error.serverMessage)
            return
        }
        if let ackID, let key = Self.key(of: message) { pending[key, default: []].append(ackID) }
        collected = []
        link.deliver(message)
        let answers = collected ?? []
        collected = nil
        guard let ackID, Self.key(of: message) == nil else { return }
        let session = message.session
        if let refusal = answers.first(where: { if case .error(let report) = $0 { report.session == session || report.session == nil } else { false } }) {
            answer(ackID, or: refusal)
        } else if let pong = answers.first(where: { if case .pong = $0 { true } else { false } }) {
            answer(ackID, or: pong)
        } else {
            socket.ack("/", id: ackID, arguments: [["type": "ok"]])
        }
    }

    func left(_ namespace: String, socket: SocketIOSocket) {
        pending = [:]
        link.close()
    }

    // MARK: Hub → client

    private func forward(_ message: ServerMessage) {
        collected?.append(message)
        guard let socket else { return }
        if !pending.isEmpty,
            let key = Self.answeredKeys(message).first(where: { pending[$0] != nil }),
            var waiting = pending[key]
        {
            let id = waiting.removeFirst()
            pending[key] = waiting.isEmpty ? nil : waiting
            answer(id, or: message)
            // Still emitted as an event below: a client listening for the frame sees it too.
        }
        scratch.removeAll(keepingCapacity: true)
        message.encode(into: &scratch)
        socket.emit("/", message.type, rawArguments: [scratch])
    }

    /// Acks `id` with `message`, or emits `message` when there is no ack to answer.
    private func answer(_ id: UInt64?, or message: ServerMessage) {
        guard let socket else { return }
        let frame = message.encoded()
        if let id {
            socket.ack("/", rawID: id, rawArguments: [frame])
        } else {
            socket.emit("/", message.type, rawArguments: [frame])
        }
    }

    private static func key(of message: ClientMessage) -> AckKey? {
        switch message {
        case .message(_, _, let id): return .message(id)
        case .start(let request): return request.sessionRef.map(AckKey.start)
        case .resume(let session, _, _): return .resume(session)
        case .end(let session): return .end(session)
        default: return nil
        }
    }

    /// The requests `message` may answer, most specific first.
    private static func answeredKeys(_ message: ServerMessage) -> [AckKey] {
        switch message {
        case .ack(_, let id, _): return [.message(id)]
        case .matching(_, _, let ref): return ref.map { [.start($0)] } ?? []
        case .sessionStarted(let start): return start.sessionRef.map { [.start($0)] } ?? []
        case .sessionResumed(let start, _): return [.resume(start.session)]
        case .sessionEnded(let session, _, _): return [.end(session)]
        case .error(let report):
            // An error names the message (`ref`: a message id or a start's session_ref), or
            // only the session (resume, end).
            var keys: [AckKey] = []
            if let ref = report.ref { keys += [.message(ref), .start(ref)] }
            if let session = report.session { keys += [.resume(session), .end(session)] }
            return keys
        default: return []
        }
    }
}
