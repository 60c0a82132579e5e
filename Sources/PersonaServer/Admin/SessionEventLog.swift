import ChatProtocol
import Observability
import PersonaRuntime
import Policies

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
/// | `session_started` on a one-shot connection (``expectOneShot(on:)``), then its end | one `session_one_shot` at the end, or counted in the next `sessions_one_shot` |
/// | `session_detached` | none (the session lives on elsewhere; not ended by this connection closing) |
///
/// One-shot sessions (stateless chat completions, thousands a second on a busy server) are
/// logged at a bounded rate: one that ends at least ``oneShotInterval`` after the last
/// one-shot line gets its own `session_one_shot` line (session, personality, version, reason);
/// the ones ending sooner are counted, and the counts go out as one `sessions_one_shot` line
/// per personality (`count`) once the interval has passed — at the next one-shot end, or when
/// the hub's shell calls ``flushOneShots()`` (it arms a timer while ``hasPendingOneShots``).
/// So a quiet server logs every completion, and a busy one a few lines a second per loop.
///
/// One per hub, confined to the hub's loop (it remembers which sessions are waiting, and
/// which are live on which connection, so a session that ends because its client went away
/// is logged like any other end).
public struct SessionEventLog: Sendable {
    private let logger: Logger
    private var waiting: Set<String> = []
    private var live: [ConnectionID: Set<String>] = [:]
    /// Live one-shot sessions: their personality and version, for their one line.
    private var oneShot: [String: (personality: String?, version: String?)] = [:]
    /// One-shot sessions ended since the last one-shot line, by personality (bounded by the
    /// personalities served).
    private var oneShotCounts: [String: Int] = [:]
    private var lastOneShotLine: PolicyInstant?
    private let clock: any PolicyClock
    /// The least time between one-shot lines. Default 1 s.
    public let oneShotInterval: Duration

    /// Creates a log writing to `logger`; one-shot lines are spaced by `oneShotInterval`.
    public init(logger: Logger, oneShotInterval: Duration = .seconds(1)) {
        self.init(logger: logger, clock: MonotonicPolicyClock(), oneShotInterval: oneShotInterval)
    }

    /// Creates a log whose one-shot spacing reads `clock` (tests pass a manual one).
    package init(logger: Logger, clock: any PolicyClock, oneShotInterval: Duration = .seconds(1)) {
        self.logger = logger
        self.clock = clock
        self.oneShotInterval = oneShotInterval
    }

    /// Connections whose sessions are one-shot (a door's connection for one chat completion).
    private var oneShotConnections: Set<ConnectionID> = []

    /// Sessions started on `connection` are one-shot (logged as such); forgotten when it closes.
    public mutating func expectOneShot(on connection: ConnectionID) {
        oneShotConnections.insert(connection)
    }

    /// One-shot ends counted but not yet logged.
    public var hasPendingOneShots: Bool { !oneShotCounts.isEmpty }

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
            if let connection, oneShotConnections.contains(connection) {
                oneShot[start.session] = (start.personality?.id, start.personality?.version)
                return
            }
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
            if let started = oneShot.removeValue(forKey: session) {
                return logOneShot(session, started, reason: reason.rawValue)
            }
            logger.session(.ended, id: session, reason: reason.rawValue)
        case .sessionDetached(let session):
            if let connection { live[connection]?.remove(session) }
        default:
            break
        }
    }

    /// `connection` went away: each session still live on it ended without a frame (the hub
    /// ends them with reason `user`); logs them and returns how many (one-shot sessions are
    /// logged but not counted: their door closes the connection when it is done with them).
    @discardableResult
    public mutating func connectionClosed(_ connection: ConnectionID) -> Int {
        oneShotConnections.remove(connection)
        guard let sessions = live.removeValue(forKey: connection) else { return 0 }
        var ended = 0
        for session in sessions.sorted() {
            waiting.remove(session)
            if let started = oneShot.removeValue(forKey: session) {
                logOneShot(session, started, reason: EndReason.user.rawValue)
                continue
            }
            ended += 1
            logger.session(.ended, id: session, reason: EndReason.user.rawValue, cause: "disconnect")
        }
        return ended
    }

    private mutating func logOneShot(
        _ session: String, _ started: (personality: String?, version: String?), reason: String
    ) {
        let now = clock.now()
        if oneShotCounts.isEmpty, lastOneShotLine.map({ $0.advanced(by: oneShotInterval) <= now }) ?? true {
            lastOneShotLine = now
            logger.session(
                .oneShot, id: session, kind: SessionKind.bot.rawValue, personality: started.personality,
                version: started.version, reason: reason)
            return
        }
        oneShotCounts[started.personality ?? "", default: 0] += 1
        if let last = lastOneShotLine, last.advanced(by: oneShotInterval) <= now { flushOneShots() }
    }

    /// Writes the counted one-shot ends (one `sessions_one_shot` line per personality) now.
    public mutating func flushOneShots() {
        guard !oneShotCounts.isEmpty else { return }
        lastOneShotLine = clock.now()
        for (personality, count) in oneShotCounts.sorted(by: { $0.key < $1.key }) {
            logger.log(
                .info, "sessions one shot",
                fields: [
                    LogField("event", "sessions_one_shot"), LogField("personality", .string(personality)),
                    LogField("count", .int(count)),
                ])
        }
        oneShotCounts.removeAll(keepingCapacity: true)
    }
}
