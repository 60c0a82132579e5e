import ChatProtocol

/// A session as a store returns it: header, state, turns and the engine's last snapshot.
public struct StoredSession: Hashable, Sendable {
    /// The header written when the session started.
    public var header: StoredSessionHeader
    /// Why it ended, or `nil` while it may still be resumed.
    public var endReason: EndReason?
    /// When it ended (ms since 1970 UTC).
    public var endedAtMilliseconds: Int64?
    /// Its turns, by `seq`.
    public var turns: [StoredTurn]
    /// The engine snapshot after the last stored reply (bot sessions).
    public var engine: EngineSnapshot?
    /// Bot replies used (`responses_per_session`).
    public var replies: Int

    /// Creates a stored session.
    public init(
        header: StoredSessionHeader, endReason: EndReason? = nil, endedAtMilliseconds: Int64? = nil,
        turns: [StoredTurn] = [], engine: EngineSnapshot? = nil, replies: Int = 0
    ) {
        self.header = header
        self.endReason = endReason
        self.endedAtMilliseconds = endedAtMilliseconds
        self.turns = turns
        self.engine = engine
        self.replies = replies
    }

    /// The highest sequence number stored.
    public var lastSeq: Int { turns.last?.seq ?? 0 }

    /// Applies `record` (the in-memory store and tests use the same rules as SQLite).
    public mutating func apply(_ record: StoreRecord) {
        switch record {
        case .session(let header): self.header = header
        case .turn(let turn):
            if turns.last.map({ $0.seq < turn.seq }) ?? true {
                turns.append(turn)  // the usual case: turns arrive in order
            } else if let index = turns.firstIndex(where: { $0.seq >= turn.seq }) {
                if turns[index].seq == turn.seq { turns[index] = turn } else { turns.insert(turn, at: index) }
            } else {
                turns.append(turn)
            }
        case .engineState(_, let snapshot, let replies):
            engine = snapshot
            self.replies = replies
        case .ended(_, let reason, let at):
            if endReason == nil {
                endReason = reason
                endedAtMilliseconds = at
            }
        case .quota: break
        }
    }
}
