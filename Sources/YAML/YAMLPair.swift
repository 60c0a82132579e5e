/// One key/value entry of a mapping.
public struct YAMLPair: Hashable, Sendable {
    /// The key (for personality files always a scalar, but YAML allows any node).
    public var key: YAMLNode
    /// The value.
    public var value: YAMLNode

    /// Creates a pair.
    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}
