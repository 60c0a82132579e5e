/// Process-wide bounds of a ``ResponseCache``.
public struct ResponseCacheConfiguration: Hashable, Sendable {
    /// Most entries kept. Default 10,000.
    public var maxEntries: Int
    /// Most bytes kept, counted as described on ``ResponseCache``. Default 32 MiB.
    public var maxBytes: Int

    /// Creates a configuration; defaults as documented on each property.
    public init(maxEntries: Int = 10_000, maxBytes: Int = 32 * 1024 * 1024) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
    }
}
