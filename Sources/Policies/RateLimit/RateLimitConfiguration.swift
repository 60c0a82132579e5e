/// Settings for a ``KeyedRateLimiter``.
public struct RateLimitConfiguration: Hashable, Sendable {
    /// The sustained rate. Default `30/min` (DESIGN §4: "messages per minute with a burst").
    public var rate: Rate
    /// Events allowed back to back. Default 10.
    public var burst: Int
    /// Most keys tracked at once. Default 100,000 (about 8 MB of state). When a new key
    /// arrives at the bound, idle keys are dropped first; if that frees less than 1/16 of the
    /// table, the keys closest to a full bucket (smallest TAT) are dropped until 1/16 is free.
    public var maxKeys: Int

    /// Creates a configuration; defaults as documented on each property.
    public init(rate: Rate = Rate(count: 30, per: .seconds(60))!, burst: Int = 10, maxKeys: Int = 100_000) {
        self.rate = rate
        self.burst = burst
        self.maxKeys = maxKeys
    }
}
