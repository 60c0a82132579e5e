import ChatProtocol
import Personality
import Policies

extension ChatHub {
    /// Every live session, oldest first (for the admin API's session list; page it there).
    public func sessionSummaries() -> [SessionSummary] {
        sessions.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }.map { session in
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
