import ChatProtocol
import Policies

/// Every decision the hub made, counted: what `/metrics` renders (the shell adds the process
/// and transport numbers). A value: the shell reads ``ChatHub/counters`` on the hub's loop and
/// may sum several hubs' values with ``add(_:)``.
public struct HubCounters: Hashable, Sendable {
    /// Connections opened / closed.
    public var connectionsOpened = 0
    /// Connections closed.
    public var connectionsClosed = 0
    /// Sessions started, by kind (a random session counts when it becomes bot or human).
    public var sessionsStarted: [SessionKind: Int] = [:]
    /// Sessions started per personality id.
    public var sessionsByPersonality: [String: Int] = [:]
    /// Sessions ended, by reason.
    public var sessionsEnded: [EndReason: Int] = [:]
    /// Random sessions paired with a human.
    public var matched = 0
    /// Random sessions handed to a fallback personality.
    public var fallbacks = 0
    /// Client messages accepted (acked).
    public var messagesIn = 0
    /// Bot replies completed plus partner messages delivered.
    public var messagesOut = 0
    /// Token frames sent.
    public var tokensOut = 0
    /// Refusals by error code (`rate_limited`, `limit_reached`, `busy`, `invalid_json`, …).
    public var errors: [ErrorCode: Int] = [:]
    /// Messages refused by a rate limiter.
    public var rateLimited = 0
    /// Response limits reached (refused with `limit_reached`, or farewell and end).
    public var limitReached = 0
    /// Replies served from the response cache.
    public var cacheHits = 0
    /// Cache lookups that found nothing.
    public var cacheMisses = 0
    /// Replies stored in the cache.
    public var cacheStores = 0
    /// PII redactions in client messages, by type.
    public var redactionsInbound = RedactionCounters()
    /// PII redactions in bot replies, by type.
    public var redactionsOutbound = RedactionCounters()
    /// Replies that ended with each finish reason.
    public var replies: [FinishReason: Int] = [:]
    /// Connections closed for an outbound backlog over the hard bound.
    public var slowConsumersClosed = 0
    /// Times a connection's pacing was paused for an outbound backlog over the soft bound.
    public var slowConsumersPaused = 0
    /// Store requests that failed (messages refused `store_unavailable`, replies not stored).
    public var storeFailures = 0
    /// Sessions re-attached by `resume`.
    public var resumes = 0
    /// Of those, sessions rebuilt from the store (after a restart, or from another hub).
    public var adopted = 0
    /// Turns replayed to resuming clients.
    public var turnsReplayed = 0
    /// Time from accepting a message to its reply's first token.
    public var timeToFirstToken: LatencySamples
    /// Time from accepting a message to its reply's end.
    public var replyLatency: LatencySamples
    /// Time a random session waited before it was matched or fell back.
    public var matchmakingWait: LatencySamples

    /// Creates zeroed counters keeping `sampleCapacity` recent latency samples of each kind.
    public init(sampleCapacity: Int = 4_096) {
        timeToFirstToken = LatencySamples(capacity: sampleCapacity)
        replyLatency = LatencySamples(capacity: sampleCapacity)
        matchmakingWait = LatencySamples(capacity: sampleCapacity)
    }

    /// Adds another hub's counts into these (latency rings keep their own samples; merge the
    /// `recent` arrays if percentiles across hubs are needed).
    public mutating func add(_ other: HubCounters) {
        connectionsOpened += other.connectionsOpened
        connectionsClosed += other.connectionsClosed
        sessionsStarted.merge(other.sessionsStarted, uniquingKeysWith: +)
        sessionsByPersonality.merge(other.sessionsByPersonality, uniquingKeysWith: +)
        sessionsEnded.merge(other.sessionsEnded, uniquingKeysWith: +)
        matched += other.matched
        fallbacks += other.fallbacks
        messagesIn += other.messagesIn
        messagesOut += other.messagesOut
        tokensOut += other.tokensOut
        errors.merge(other.errors, uniquingKeysWith: +)
        rateLimited += other.rateLimited
        limitReached += other.limitReached
        cacheHits += other.cacheHits
        cacheMisses += other.cacheMisses
        cacheStores += other.cacheStores
        redactionsInbound.add(other.redactionsInbound)
        redactionsOutbound.add(other.redactionsOutbound)
        replies.merge(other.replies, uniquingKeysWith: +)
        slowConsumersClosed += other.slowConsumersClosed
        slowConsumersPaused += other.slowConsumersPaused
        storeFailures += other.storeFailures
        resumes += other.resumes
        adopted += other.adopted
        turnsReplayed += other.turnsReplayed
    }
}
