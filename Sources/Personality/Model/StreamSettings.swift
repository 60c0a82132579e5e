/// How fast a personality's reply is streamed to the client.
public struct StreamSettings: Hashable, Sendable {
    /// Tokens sent per second; 0 means as fast as the connection takes them. Range 0...10,000.
    public var tokensPerSecond: Int

    /// The largest accepted `tokens_per_second`.
    public static let maxTokensPerSecond = 10_000

    /// Creates settings; the default is 0 (no pacing).
    public init(tokensPerSecond: Int = 0) {
        self.tokensPerSecond = tokensPerSecond
    }
}
