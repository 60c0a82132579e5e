import Policies
import Synchronization

/// Makes abuse and failures visible: counts every refusal by reason, every HTTP error answer
/// by status and every WebSocket close by code, for `/metrics`; and writes one structured log
/// line per reason and client per interval (see ``EventThrottle``), at `warning`:
///
/// ```
/// ... WARN persona.abuse refused event=refused reason=connection_rate client=203.0.113.7 status=429 suppressed=41
/// ```
///
/// The client is named by a pseudonym, never its address: addresses are personal data, which
/// the log sink would scrub anyway. The pseudonym is a keyed hash of the address (the key is
/// drawn per process), so every line about one source carries the same name within a run and
/// none can be turned back into an address; the counts are what an operator alerts on.
///
/// Shared by every event loop (one lock, taken once per event; refusals are not the hot path).
/// The label sets are bounded: reasons are ``RefusalReason``, statuses 100–599, close codes the
/// ones RFC 6455 names (anything else counts as `other`).
public final class ServerEventRecorder: Sendable {
    /// The counts so far.
    public struct Counts: Hashable, Sendable {
        /// Refusals by reason.
        public var refusals: [RefusalReason: Int] = [:]
        /// HTTP error answers (status ≥ 400) by status.
        public var httpErrors: [Int: Int] = [:]
        /// WebSocket closes by code label (`1000`…, `other`).
        public var webSocketCloses: [String: Int] = [:]
        /// Chat sessions that ended because their client disconnected.
        public var sessionsDisconnected = 0

        /// No counts.
        public init() {}
    }

    /// Close codes counted under their own label; others count as `other`.
    public static let namedCloseCodes: [UInt16] = [1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011]

    private struct State: Sendable {
        var counts = Counts()
        var throttle: EventThrottle
        var logger: Logger?
    }

    private let state: Mutex<State>
    private let clock: any PolicyClock

    /// Creates a recorder; lines go to `logger` once one is set (``attach(_:)``).
    public init(clock: any PolicyClock, throttle: EventThrottle = EventThrottle(), logger: Logger? = nil) {
        self.clock = clock
        state = Mutex(State(throttle: throttle, logger: logger))
    }

    /// Sends the log lines to `logger` from now on.
    public func attach(_ logger: Logger) {
        state.withLock { $0.logger = logger.labelled("persona.abuse") }
    }

    /// One refusal of `client` (an address, or nil when unknown) for `reason`; `fields` add
    /// detail to its log line (status, close code, session).
    public func refused(_ reason: RefusalReason, client: String?, _ fields: [LogField] = []) {
        let now = clock.now()
        let source = client.map(Self.pseudonym) ?? "unknown"
        let line: (Logger, Int)? = state.withLock { state in
            state.counts.refusals[reason, default: 0] += 1
            guard let logger = state.logger, logger.isEnabled(.warning) else { return nil }
            switch state.throttle.record("\(reason.rawValue) \(source)", now: now) {
            case .log(let suppressed): return (logger, suppressed)
            case .suppress: return nil
            }
        }
        guard let (logger, suppressed) = line else { return }
        var all = [
            LogField("event", "refused"), LogField("reason", .string(reason.rawValue)),
            LogField("client", .string(source)),
        ]
        all += fields
        all.append(LogField("suppressed", .int(suppressed)))
        logger.log(.warning, "refused", fields: all)
    }

    /// The stable-per-process name of `address` in log lines: 12 letters `a`–`p` (letters, so
    /// the PII scrubber never mistakes it for a number).
    public static func pseudonym(_ address: String) -> String {
        var hasher = Hasher()
        hasher.combine(address)
        var value = UInt64(bitPattern: Int64(hasher.finalize()))
        var name = ""
        for _ in 0..<12 {
            name.unicodeScalars.append(Unicode.Scalar(UInt8(ascii: "a") + UInt8(value & 0xF)))
            value >>= 4
        }
        return name
    }

    /// An HTTP error answer (status ≥ 400; others are ignored).
    public func httpError(status: Int) {
        guard (400...599).contains(status) else { return }
        state.withLock { $0.counts.httpErrors[status, default: 0] += 1 }
    }

    /// A WebSocket connection closed with `code`.
    public func webSocketClosed(code: UInt16) {
        let label = Self.namedCloseCodes.contains(code) ? String(code) : "other"
        state.withLock { $0.counts.webSocketCloses[label, default: 0] += 1 }
    }

    /// A chat session ended because its client went away.
    public func sessionDisconnected() {
        state.withLock { $0.counts.sessionsDisconnected += 1 }
    }

    /// The counts so far.
    public func counts() -> Counts { state.withLock { $0.counts } }
}
