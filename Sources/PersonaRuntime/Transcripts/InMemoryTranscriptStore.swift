import ChatProtocol

/// Keeps transcripts in memory, for tests and for running without a store. Bounded: at most
/// ``maxSessions`` sessions are kept (the oldest ended ones are forgotten first) and at most
/// ``maxEntriesPerSession`` turns per session (the oldest dropped first).
public final class InMemoryTranscriptStore: TranscriptStore {
    /// Most sessions kept (`max_sessions`). Default 10,000.
    public let maxSessions: Int
    /// Most turns kept per session (`max_entries_per_session`). Default 1,000.
    public let maxEntriesPerSession: Int
    private var entries: [String: [TranscriptEntry]] = [:]
    private var ended: [String] = []
    private var endedHead = 0
    /// End reasons of ended sessions still kept.
    public private(set) var endReasons: [String: EndReason] = [:]

    /// Creates a store.
    public init(maxSessions: Int = 10_000, maxEntriesPerSession: Int = 1_000) {
        self.maxSessions = maxSessions
        self.maxEntriesPerSession = maxEntriesPerSession
    }

    /// Records one turn.
    public func append(_ entry: TranscriptEntry) {
        // Mutated in place through the subscript, so the array is not copied per append.
        entries[entry.session, default: []].append(entry)
        if entries[entry.session]!.count > maxEntriesPerSession { entries[entry.session]!.removeFirst() }
    }

    /// Marks the session ended and forgets the oldest ended sessions beyond the bound.
    public func sessionEnded(_ session: String, reason: EndReason) {
        endReasons[session] = reason
        ended.append(session)
        while entries.count > maxSessions, endedHead < ended.count {
            let victim = ended[endedHead]
            endedHead += 1
            entries[victim] = nil
            endReasons[victim] = nil
        }
        if endedHead > 1_024, endedHead * 2 > ended.count {
            ended.removeFirst(endedHead)
            endedHead = 0
        }
    }

    /// The turns kept for `session`, in order.
    public func transcript(of session: String) -> [TranscriptEntry] {
        entries[session] ?? []
    }

    /// How many sessions are kept.
    public var sessionCount: Int { entries.count }
}
