import ChatProtocol
import Observability

/// Derives the one-line-per-lifecycle-event session log from the frames a hub sends, so the
/// server logs exactly what clients were told and never message text.
///
/// | frame | line |
/// |---|---|
/// | `matching` | `session_started` kind=random |
/// | `session_started` after `matching` | `session_matched` (human) or `session_fallback` (bot) |
/// | `session_started` otherwise | `session_started` kind=bot/human |
/// | `session_ended` | `session_ended` reason=… |
///
/// One per hub, confined to the hub's loop (it remembers which sessions are waiting).
public struct SessionEventLog: Sendable {
    private let logger: Logger
    private var waiting: Set<String> = []

    /// Creates a log writing to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Sessions waiting for a partner (bounded by the hub's own session limits).
    public var waitingCount: Int { waiting.count }

    /// Logs the lifecycle event `message` carries, if any.
    public mutating func observe(_ message: ServerMessage) {
        switch message {
        case .matching(let session, _, _):
            if waiting.insert(session).inserted { logger.session(.started, id: session, kind: "random") }
        case .sessionStarted(let start):
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
            logger.session(.ended, id: session, reason: reason.rawValue)
        default:
            break
        }
    }
}
