import ChatProtocol
import Policies
import Synchronization

/// Keeps sessions and turns in memory: for tests, and for `persona serve --store memory`
/// (nothing survives a restart). Safe to share between hubs; answers every request at once.
///
/// Bounded by design, because a chat server ends millions of sessions:
/// - a session keeps at most ``maxEntriesPerSession`` turns (the oldest dropped first);
/// - an ended session — its turns and its end reason, even when it never had a turn — is kept
///   for at most ``endedSessionAge`` and among at most ``maxEndedSessions`` ended sessions;
///   past either bound it is forgotten, oldest first.
///
/// Age is measured on the store's own clock when the session ends; expired sessions are
/// forgotten whenever a session ends and on the hub's housekeeping tick (``forgetExpired()``).
public final class InMemoryTranscriptStore: TranscriptStore, SessionStoreBackend {
    /// Most ended sessions kept (`max_ended_sessions`). Default 10,000.
    public let maxEndedSessions: Int
    /// How long an ended session is kept (`ended_session_age`). Default 1 hour.
    public let endedSessionAge: Duration
    /// Most turns kept per session (`max_entries_per_session`). Default 1,000.
    public let maxEntriesPerSession: Int
    private let clock: any PolicyClock

    private struct State {
        var sessions: [String: StoredSession] = [:]
        /// Ended sessions, oldest first, from `endedHead` on.
        var ended: [(session: String, at: PolicyInstant)] = []
        var endedHead = 0
        var quotas: [String: (day: Int64, count: Int)] = [:]
        /// Set by tests to make writes fail (a full disk).
        var failing: StoreFailure?
    }

    private let state = Mutex(State())

    /// Creates a store; `clock` dates the ends (the hub's clock in tests, any monotonic one
    /// in production).
    public init(
        maxEndedSessions: Int = 10_000, endedSessionAge: Duration = .seconds(3_600),
        maxEntriesPerSession: Int = 1_000, clock: any PolicyClock = SystemChatClock()
    ) {
        self.maxEndedSessions = maxEndedSessions
        self.endedSessionAge = endedSessionAge
        self.maxEntriesPerSession = maxEntriesPerSession
        self.clock = clock
    }

    /// Makes every write fail with `failure` (`nil` heals it): the store-full path in tests.
    public func simulateFailure(_ failure: StoreFailure?) {
        state.withLock { $0.failing = failure }
    }

    // MARK: TranscriptStore

    /// Stores at once.
    public func write(_ records: [StoreRecord], ticket: StoreTicket?) -> StoreAnswer<Void> {
        .now(apply(records))
    }

    /// Reads at once.
    public func load(_ session: String, ticket: StoreTicket) -> StoreAnswer<StoredSession?> {
        .now(.success(state.withLock { $0.sessions[session] }))
    }

    // MARK: SessionStoreBackend

    /// Stores and completes at once.
    public func write(
        _ records: [StoreRecord], completion: @escaping @Sendable (Result<Void, StoreFailure>) -> Void
    ) {
        completion(apply(records))
    }

    /// Reads and completes at once.
    public func load(
        _ session: String, completion: @escaping @Sendable (Result<StoredSession?, StoreFailure>) -> Void
    ) {
        completion(.success(state.withLock { $0.sessions[session] }))
    }

    /// The session as kept.
    public func history(_ session: String) throws(StoreFailure) -> StoredSession? {
        state.withLock { $0.sessions[session] }
    }

    /// Forgets every session and quota of `client`.
    public func forget(client: String) throws(StoreFailure) -> Int {
        state.withLock { state in
            let victims = state.sessions.values.filter { $0.header.clientKey == client }.map(\.header.id)
            for id in victims { state.sessions[id] = nil }
            state.quotas[client] = nil
            return victims.count
        }
    }

    /// Writable unless a failure is being simulated.
    public var isWritable: Bool { state.withLock { $0.failing == nil } }

    /// The counts kept for `day`.
    public func quotas(day: Int64) -> [String: Int] {
        state.withLock { state in
            state.quotas.filter { $0.value.day == day }.mapValues(\.count)
        }
    }

    // MARK: Reading (tests)

    /// The turns kept for `session`, in order.
    public func transcript(of session: String) -> [TranscriptEntry] {
        let turns = state.withLock { $0.sessions[session]?.turns ?? [] }
        return turns.map {
            TranscriptEntry(
                session: $0.session, seq: $0.seq, role: $0.role, text: $0.text,
                at: PolicyInstant(nanoseconds: $0.atMilliseconds &* 1_000_000))
        }
    }

    /// The session as kept, if any.
    public func session(_ id: String) -> StoredSession? {
        state.withLock { $0.sessions[id] }
    }

    /// How many sessions are kept (live and ended).
    public var sessionCount: Int { state.withLock { $0.sessions.count } }

    /// How many ended sessions are kept.
    public var endedSessionCount: Int { state.withLock { $0.ended.count - $0.endedHead } }

    /// End reasons of the ended sessions still kept.
    public var endReasons: [String: EndReason] {
        state.withLock { $0.sessions.compactMapValues(\.endReason) }
    }

    // MARK: Applying

    private func apply(_ records: [StoreRecord]) -> Result<Void, StoreFailure> {
        state.withLock { state in
            if let failure = state.failing { return .failure(failure) }
            for record in records {
                switch record {
                case .session(let header):
                    state.sessions[header.id] = state.sessions[header.id] ?? StoredSession(header: header)
                    state.sessions[header.id]!.apply(record)
                case .turn(let turn):
                    state.sessions[turn.session, default: Self.placeholder(turn.session)].apply(record)
                    if state.sessions[turn.session]!.turns.count > maxEntriesPerSession {
                        state.sessions[turn.session]!.turns.removeFirst()
                    }
                case .engineState(let id, _, _):
                    state.sessions[id]?.apply(record)
                case .ended(let id, _, _):
                    guard state.sessions[id] != nil else { continue }
                    state.sessions[id]!.apply(record)
                    let now = clock.now()
                    state.ended.append((id, now))
                    forget(&state, now: now)
                case .quota(let client, let day, let count):
                    state.quotas[client] = (day, count)
                }
            }
            return .success(())
        }
    }

    /// A session known only from its turns (a store that never saw its start).
    private static func placeholder(_ id: String) -> StoredSession {
        StoredSession(
            header: StoredSessionHeader(
                id: id, kind: .bot, clientKey: "", createdAtMilliseconds: 0, resumeTokenHash: ""))
    }

    /// Forgets ended sessions older than ``endedSessionAge``; whether any ended session is
    /// still kept.
    public func forgetExpired() -> Bool {
        let now = clock.now()
        return state.withLock { state in
            forget(&state, now: now)
            return state.endedHead < state.ended.count
        }
    }

    private func forget(_ state: inout State, now: PolicyInstant) {
        let oldestKept = now.advanced(by: .zero - endedSessionAge)
        while state.endedHead < state.ended.count,
            state.ended.count - state.endedHead > maxEndedSessions || state.ended[state.endedHead].at <= oldestKept
        {
            state.sessions[state.ended[state.endedHead].session] = nil
            state.endedHead += 1
        }
        if state.endedHead > 1_024, state.endedHead * 2 > state.ended.count {
            state.ended.removeFirst(state.endedHead)
            state.endedHead = 0
        } else if state.endedHead == state.ended.count {
            state.ended.removeAll()
            state.endedHead = 0
        }
    }
}
