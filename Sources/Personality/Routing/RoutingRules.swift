/// What `routing.yaml` says: how long to look for a human partner, and which personality
/// serves a random session when none turns up.
public struct RoutingRules: Hashable, Sendable {
    /// How long a random session waits for a human partner before falling back to a bot.
    public var matchmakingTimeout: Duration
    /// Whether a random session looks for a human first (`false`: straight to a bot).
    public var humansFirst: Bool
    /// Weighted fallback candidates, filtered per session.
    public var fallback: [FallbackCandidate]
    /// The personality used when no candidate passes the filters.
    public var defaultPersonality: String?
    /// Where `fallback.default` was written, so an undefined one is reported there.
    public var defaultPersonalityLocation: SourceLocationBox?

    /// The default matchmaking timeout, 10 seconds.
    public static let defaultTimeout: Duration = .seconds(10)

    /// Creates rules.
    public init(
        matchmakingTimeout: Duration = RoutingRules.defaultTimeout, humansFirst: Bool = true,
        fallback: [FallbackCandidate] = [], defaultPersonality: String? = nil
    ) {
        self.matchmakingTimeout = matchmakingTimeout
        self.humansFirst = humansFirst
        self.fallback = fallback
        self.defaultPersonality = defaultPersonality
    }
}
