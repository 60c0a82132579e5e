import Diagnostics

/// One node of a parsed YAML document, remembering where it starts in the author's file.
///
/// Aliases are already resolved (an alias node is a copy of its anchored node, keeping the
/// anchored node's location), merge keys are already applied, and duplicate keys already
/// refused, so decoders only ever see plain trees.
public struct YAMLNode: Hashable, Sendable {
    /// What the node holds.
    public enum Content: Hashable, Sendable {
        /// A scalar: plain, quoted or block text.
        case scalar(YAMLScalar)
        /// A sequence, in document order.
        case sequence([YAMLNode])
        /// A mapping, in document order, with no duplicate keys.
        case mapping([YAMLPair])
    }

    /// What the node holds.
    public var content: Content
    /// Where the node starts (1-based line and column).
    public var location: SourceLocation

    /// Creates a node.
    public init(_ content: Content, location: SourceLocation) {
        self.content = content
        self.location = location
    }

    /// The scalar, when this node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let value) = content { return value }
        return nil
    }

    /// The elements, when this node is a sequence.
    public var sequence: [YAMLNode]? {
        if case .sequence(let value) = content { return value }
        return nil
    }

    /// The pairs, when this node is a mapping.
    public var mapping: [YAMLPair]? {
        if case .mapping(let value) = content { return value }
        return nil
    }

    /// True for a plain scalar spelling null: empty, `~`, `null`, `Null` or `NULL`.
    public var isNull: Bool { scalar?.isNull ?? false }

    /// The node's kind as a phrase for error messages: "a string", "a list", "a mapping", "null".
    public var kindDescription: String {
        switch content {
        case .scalar(let scalar): return scalar.isNull ? "null" : "a string"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}
