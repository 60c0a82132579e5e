/// Hard limits on an untrusted YAML document. A personality file is author input, and
/// authors' files travel: every limit here stops a hostile or broken file before it costs
/// memory or time.
public struct YAMLLimits: Hashable, Sendable {
    /// Largest document accepted, in bytes (`max_document_bytes`). Default 1 MiB.
    public var maxDocumentBytes: Int
    /// Deepest nesting of sequences and mappings (`max_depth`). Default 64.
    public var maxDepth: Int
    /// Most nodes in the resolved tree, aliases counted as expanded (`max_nodes`). Default 100,000.
    public var maxNodes: Int
    /// Most nodes that aliases may add by expansion (`max_alias_expansion`). Default 10,000.
    /// This is what refuses a "billion laughs" file in microseconds.
    public var maxAliasExpansion: Int

    /// Creates limits.
    public init(
        maxDocumentBytes: Int = 1 << 20, maxDepth: Int = 64, maxNodes: Int = 100_000,
        maxAliasExpansion: Int = 10_000
    ) {
        self.maxDocumentBytes = maxDocumentBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
        self.maxAliasExpansion = maxAliasExpansion
    }

    /// The documented defaults.
    public static let `default` = YAMLLimits()
}
