import ChatProtocol
import Personality
import Policies

extension ChatHub {
    /// Every live session, oldest first (for the admin API's session list; page it there).
    public func sessionSummaries() -> [SessionSummary] {
        sessions.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }.map(summary(of:))
    }

    /// The live session `id` with what its limits still allow, or `nil` when the hub holds no
    /// such session.
    public func sessionStatus(_ id: String) -> SessionStatus? {
        guard let session = sessions[id] else { return nil }
        let limits = session.limits
        var dailyLeft: Int?
        if let daily = limits.dailyMessagesPerClient {
            let today = clock.wallMilliseconds() / 86_400_000
            let used = dailyCounts[session.client.key].map { $0.day == today ? $0.count : 0 } ?? 0
            dailyLeft = max(0, daily - used)
        }
        var maxReplyTokens = limits.maxReplyTokens
        if let cap = session.replyTokenCap { maxReplyTokens = min(maxReplyTokens ?? cap, cap) }
        return SessionStatus(
            summary: summary(of: session),
            limits: LimitsLeft(
                responses: limits.responsesPerSession.map {
                    max(0, $0 - session.replyCount - session.queue.count)
                },
                dailyMessages: dailyLeft, maxInputCharacters: limits.maxInputCharacters,
                maxReplyTokens: maxReplyTokens))
    }

    /// Whether `token` is the resume token of the live session `id`: `nil` when this hub holds
    /// no such session (it may be in the store, or on another hub).
    package func resumeTokenMatches(_ id: String, token: String) -> Bool? {
        guard let session = sessions[id] else { return nil }
        return !session.resumeTokenHash.isEmpty && Self.tokenHash(token) == session.resumeTokenHash
    }

    func summary(of session: ChatSession) -> SessionSummary {
        let phase: SessionSummary.Phase
        switch session.state {
        case .matching: phase = .matching
        case .active: phase = .active
        case .ending: phase = .ending
        }
        var kind: SessionKind?
        var personality: PersonalityInfo?
        switch session.peer {
        case .bot(let bot):
            kind = .bot
            personality = PersonalityInfo(
                id: bot.personality.id, name: bot.personality.name,
                version: bot.personality.version.description)
        case .human: kind = .human
        case .none: kind = nil
        }
        return SessionSummary(
            id: session.id, connection: session.connection, phase: phase, kind: kind,
            personality: personality,
            createdAt: session.createdAt, seq: session.seq, replies: session.replyCount,
            streaming: session.reply != nil)
    }

    /// Live sessions by kind (`matching` sessions count under `nil`) and bot sessions by
    /// personality id: the gauges of `/metrics`. O(sessions); call it when scraped.
    public func liveSessionCounts() -> (byKind: [SessionKind?: Int], byPersonality: [String: Int]) {
        var byKind: [SessionKind?: Int] = [:]
        var byPersonality: [String: Int] = [:]
        for session in sessions.values {
            switch session.peer {
            case .bot(let bot):
                byKind[.bot, default: 0] += 1
                byPersonality[bot.personality.id, default: 0] += 1
            case .human: byKind[.human, default: 0] += 1
            case .none: byKind[nil, default: 0] += 1
            }
        }
        return (byKind, byPersonality)
    }
}
