import Policies

/// The limits several nodes share (Redis), as one hub sees it: a client's rate, a
/// personality's rate (`personality_rate`, over every client of it) and the client's daily
/// message count. Called on the hub's thread, never blocking it; ``check(_:ticket:)`` answers
/// later through ``ChatHub/sharedRateAnswered(_:_:)`` with the ticket.
public protocol SharedRateLimiter: AnyObject {
    /// Checks (and spends, when allowed) one message against the shared limits.
    func check(_ request: SharedLimitRequest, ticket: StoreTicket)
}

/// The process-wide half of the shared limits, safe to call from any thread; the server adapts
/// it to each hub's ``SharedRateLimiter`` by delivering verdicts on the hub's loop.
public protocol SharedRateLimiterBackend: AnyObject, Sendable {
    /// Checks one message; `completion` (any thread) gets the verdict. What the backend cannot
    /// decide (Redis down) is let through: the hub's own limits still apply.
    func check(_ request: SharedLimitRequest, completion: @escaping @Sendable (SharedLimitVerdict) -> Void)
}

/// One message to check against the shared limits.
public struct SharedLimitRequest: Hashable, Sendable {
    /// The client's rate; nil when its limits set none.
    public var rate: SharedClientRate?
    /// The client's daily count: `daily_messages_per_client` for `client` on UTC `day`; nil
    /// when its limits set none. Counted only when the rate allowed the message.
    public var dailyQuota: SharedDailyQuota?
    /// The personality's rate (`personality_rate`) of a bot session; nil when it sets none.
    /// Spent only when the client's rate allowed the message.
    public var personality: SharedClientRate?

    /// A request.
    public init(rate: SharedClientRate?, dailyQuota: SharedDailyQuota?, personality: SharedClientRate? = nil) {
        self.dailyQuota = dailyQuota
        self.rate = rate
        self.personality = personality
    }
}

/// A rate to spend one message of: a client's, or a personality's over all its clients.
public struct SharedClientRate: Hashable, Sendable {
    /// The shared key (``ChatHub/sharedRateKey(_:rate:burst:)`` or
    /// ``ChatHub/sharedPersonalityRateKey(_:rate:burst:)``).
    public var key: String
    /// The rate.
    public var rate: Rate
    /// Messages allowed back to back.
    public var burst: Int

    /// A rate.
    public init(key: String, rate: Rate, burst: Int) {
        self.key = key
        self.rate = rate
        self.burst = burst
    }
}

/// A daily quota to count a message against.
public struct SharedDailyQuota: Hashable, Sendable {
    /// The client key.
    public var client: String
    /// Days since 1970 (UTC).
    public var day: Int64
    /// The most messages allowed that day.
    public var maximum: Int

    /// A quota.
    public init(client: String, day: Int64, maximum: Int) {
        self.client = client
        self.day = day
        self.maximum = maximum
    }
}

/// What the shared limits said about one message.
public struct SharedLimitVerdict: Hashable, Sendable {
    /// The rate decision; nil when not asked or not decided.
    public var rate: RateLimitDecision?
    /// The personality rate's decision; nil when not asked (the client rate refused first, or
    /// none set) or not decided.
    public var personalityRate: RateLimitDecision?
    /// The daily count was already at its maximum (across every node); the message was not counted.
    public var dailyQuotaReached: Bool

    /// A verdict.
    public init(
        rate: RateLimitDecision? = nil, dailyQuotaReached: Bool = false, personalityRate: RateLimitDecision? = nil
    ) {
        self.rate = rate
        self.personalityRate = personalityRate
        self.dailyQuotaReached = dailyQuotaReached
    }
}
