import ChatProtocol
import Observability
import PersonaRuntime

/// Derives the one-line-per-lifecycle-event session log from the frames a hub sends, so the
/// server logs exactly what clients were told and never message text.
///
/// | frame | line |
/// |---|---|
/// | `matching` | `session_started` kind=random |
/// | `session_started` after `matching` | `session_matched` (human) or `session_fallback` (bot) |
/// | `session_started` otherwise | `session_started` kind=bot/human |
/// | `session_ended` | `session_ended` reason=… |
/// | (the client disconnected: no frame can be sent) | `session_ended` reason=user cause=disconnect |
///
/// One per hub, confined to the hub's loop (it remembers which sessions are waiting, and
/// which are live on which connection, so a session that ends because its client went away
/// is logged like any other end).
public struct SessionEventLog: Sendable {
    private let logger: Logger
    private var waiting: Set<String> = []
    private var live: [ConnectionID: Set<String>] = [:]

    /// Creates a log writing to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Sessions waiting for a partner (bounded by the hub's own session limits).
    public var waitingCount: Int { waiting.count }

    /// Logs the lifecycle event `message`, sent to `connection`, carries, if any.
    public mutating func observe(_ message: ServerMessage, on connection: ConnectionID? = nil) {
        switch message {
        case .matching(let session, _, _):
            if let connection { live[connection, default: []].insert(session) }
            if waiting.insert(session).inserted { logger.session(.started, id: session, kind: "random") }
        case .sessionStarted(let start):
            if let connection { live[connection, default: []].insert(start.session) }
            let event: SessionLogEvent
            if waiting.remove(start.session) != nil {
                event = start.kind == .human ? .matched : .fallback
            } else {
                event = .started
            }
            logger.session(
                event, id: start.session, kind: start.kind.rawValue, personality: start.personality?.id,
                version: start.personality?.version)
        case .sessionEnded(let session, let reason, _):
            waiting.remove(session)
            if let connection { live[connection]?.remove(session) }
            logger.session(.ended, id: session, reason: reason.rawValue)
        default:
            break
        }
    }

    /// `connection` went away: each session still live on it ended without a frame (the hub
    /// ends them with reason `user`); logs them and returns how many.
    @discardableResult
    public mutating func connectionClosed(_ connection: ConnectionID) -> Int {
        guard let sessions = live.removeValue(forKey: connection) else { return 0 }
        for session in sessions.sorted() {
            waiting.remove(session)
            logger.session(.ended, id: session, reason: EndReason.user.rawValue, cause: "disconnect")
        }
        return sessions.count
    }
}
