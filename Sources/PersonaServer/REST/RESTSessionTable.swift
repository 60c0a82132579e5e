import ChatProtocol
import PersonaRuntime

/// One event loop's REST sessions: the ones attached to the door's virtual connections by id,
/// and the most recent ended ones (bounded by ``APIConfiguration/maxEndedRESTSessions``) so
/// `GET` and `DELETE` can still name their end and farewell. Loop-confined.
final class RESTSessionTable {
    private let configuration: APIConfiguration
    private(set) var live: [String: RESTSession] = [:]
    private var ended: [String: EndedRESTSession] = [:]
    private var endedOrder: [String] = []

    init(configuration: APIConfiguration) {
        self.configuration = configuration
    }

    /// Whether another session fits (``APIConfiguration/maxRESTSessions``).
    var hasRoom: Bool { live.count < configuration.maxRESTSessions }

    func add(_ session: RESTSession) {
        live[session.id] = session
    }

    /// The session as a request with `token` from a client of `tenant` may see it: `.live`,
    /// `.ended`, or `nil` when there is no such session, the token is not its own, or it belongs
    /// to another tenant (the three are not told apart, so a guess learns nothing about which
    /// ids exist).
    func lookup(_ id: String, token: String, tenant: String?) -> Lookup? {
        let hash = ChatHub.tokenHash(token)
        if let session = live[id] {
            return KeySecret.digestsEqual(session.tokenHash, hash) && session.tenant == tenant ? .live(session) : nil
        }
        if let session = ended[id] {
            return KeySecret.digestsEqual(session.tokenHash, hash) && session.tenant == tenant ? .ended(session) : nil
        }
        return nil
    }

    enum Lookup {
        case live(RESTSession)
        case ended(EndedRESTSession)
    }

    /// A frame the hub sent to the session's virtual connection: to the request in progress;
    /// when it is `session_ended` the session moves to the ended table, and when it is
    /// `session_detached` (resumed over `/v1/ws`) the door no longer holds it. Returns whether
    /// the connection holds nothing more (the caller closes it).
    @discardableResult
    func route(_ message: ServerMessage, for session: RESTSession) -> Bool {
        session.listener?(message)
        switch message {
        case .sessionEnded(let id, let reason, let farewell) where id == session.id:
            session.listener = nil
            if live[id] === session { live[id] = nil }
            remember(
                EndedRESTSession(
                    id: id, personality: session.personality, tokenHash: session.tokenHash,
                    tenant: session.tenant, reason: reason, farewell: farewell))
            return true
        case .sessionDetached(let id) where id == session.id:
            session.listener = nil
            if live[id] === session { live[id] = nil }
            return true
        default:
            return false
        }
    }

    /// Keeps what `GET` and `DELETE` say about an ended session.
    func remember(_ session: EndedRESTSession) {
        guard ended[session.id] == nil else { return }
        ended[session.id] = session
        endedOrder.append(session.id)
        if endedOrder.count > configuration.maxEndedRESTSessions {
            ended[endedOrder.removeFirst()] = nil
        }
    }
}
