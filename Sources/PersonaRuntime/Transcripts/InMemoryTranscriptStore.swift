import ChatProtocol
import Policies

/// Keeps transcripts in memory, for tests and for running without a store.
///
/// Bounded by design, because a chat server ends millions of sessions:
/// - a live session keeps at most ``maxEntriesPerSession`` turns (the oldest dropped first);
/// - an ended session — its turns and its end reason, even when it never had a turn — is kept
///   for at most ``endedSessionAge`` and among at most ``maxEndedSessions`` ended sessions;
///   past either bound it is forgotten, oldest first.
///
/// Age is measured on the store's own clock when the session ends; expired sessions are
/// forgotten whenever a session ends and on the hub's housekeeping tick (``forgetExpired()``).
public final class InMemoryTranscriptStore: TranscriptStore {
    /// Most ended sessions kept (`max_ended_sessions`). Default 10,000.
    public let maxEndedSessions: Int
    /// How long an ended session is kept (`ended_session_age`). Default 1 hour.
    public let endedSessionAge: Duration
    /// Most turns kept per session (`max_entries_per_session`). Default 1,000.
    public let maxEntriesPerSession: Int
    private let clock: any PolicyClock
    private var entries: [String: [TranscriptEntry]] = [:]
    /// Ended sessions, oldest first, from `endedHead` on.
    private var ended: [(session: String, at: PolicyInstant)] = []
    private var endedHead = 0
    /// End reasons of ended sessions still kept.
    public private(set) var endReasons: [String: EndReason] = [:]

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

    /// Records one turn.
    public func append(_ entry: TranscriptEntry) {
        // Mutated in place through the subscript, so the array is not copied per append.
        entries[entry.session, default: []].append(entry)
        if entries[entry.session]!.count > maxEntriesPerSession { entries[entry.session]!.removeFirst() }
    }

    /// Marks the session ended and forgets ended sessions beyond the bounds.
    public func sessionEnded(_ session: String, reason: EndReason) {
        let now = clock.now()
        endReasons[session] = reason
        ended.append((session, now))
        forget(now: now)
    }

    /// Forgets ended sessions older than ``endedSessionAge``.
    public func forgetExpired() -> Bool {
        forget(now: clock.now())
        return endedHead < ended.count
    }

    private func forget(now: PolicyInstant) {
        let oldestKept = now.advanced(by: .zero - endedSessionAge)
        while endedHead < ended.count,
            ended.count - endedHead > maxEndedSessions || ended[endedHead].at <= oldestKept
        {
            let victim = ended[endedHead].session
            endedHead += 1
            entries[victim] = nil
            endReasons[victim] = nil
        }
        if endedHead > 1_024, endedHead * 2 > ended.count {
            ended.removeFirst(endedHead)
            endedHead = 0
        } else if endedHead == ended.count {
            ended.removeAll()
            endedHead = 0
        }
    }

    /// The turns kept for `session`, in order.
    public func transcript(of session: String) -> [TranscriptEntry] {
        entries[session] ?? []
    }

    /// How many sessions have turns kept (live and ended).
    public var sessionCount: Int { entries.count }

    /// How many ended sessions are remembered (with or without turns).
    public var endedSessionCount: Int { ended.count - endedHead }
}
