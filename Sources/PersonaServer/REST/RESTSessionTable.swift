import ChatProtocol
import Policies

/// One event loop's REST sessions: live ones by id, and the most recent ended ones (bounded by
/// ``APIConfiguration/maxEndedRESTSessions``) so their history stays readable. Loop-confined.
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

    /// The session as a request with `token` may see it: `.live`, `.ended`, or `nil` when there
    /// is no such session or the token is not its own (the two are not told apart, so a token
    /// guess learns nothing about which ids exist).
    func lookup(_ id: String, token: String) -> Lookup? {
        let digest = SHA256.hash(Array(token.utf8))
        if let session = live[id] {
            return Self.equal(session.tokenDigest, digest) ? .live(session) : nil
        }
        if let session = ended[id] {
            return Self.equal(session.tokenDigest, digest) ? .ended(session) : nil
        }
        return nil
    }

    enum Lookup {
        case live(RESTSession)
        case ended(EndedRESTSession)
    }

    /// A frame the hub sent to the session's virtual connection: to the request in progress,
    /// and when it is `session_ended`, the session moves to the ended table.
    func route(_ message: ServerMessage, for session: RESTSession) {
        session.listener?(message)
        if case .sessionEnded(let id, let reason, let farewell) = message, id == session.id {
            session.listener = nil
            live[id] = nil
            remember(
                EndedRESTSession(
                    id: id, personality: session.personality, tokenDigest: session.tokenDigest, reason: reason,
                    farewell: farewell))
        }
    }

    private func remember(_ session: EndedRESTSession) {
        ended[session.id] = session
        endedOrder.append(session.id)
        if endedOrder.count > configuration.maxEndedRESTSessions {
            ended[endedOrder.removeFirst()] = nil
        }
    }

    /// Compares two digests in time independent of where they differ.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    /// A new session token: 32 random bytes as 64 hex digits.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        var text = ""
        for _ in 0..<4 {
            let hex = String(generator.next() as UInt64, radix: 16)
            text += String(repeating: "0", count: 16 - hex.count) + hex
        }
        return text
    }
}
