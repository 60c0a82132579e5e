/// A mapping key compared the way a decoder looks keys up: by content, ignoring where it was
/// written and how a scalar was quoted (`name` and `"name"` are the same key).
///
/// Hashing reads the length and at most the first 64 bytes of each scalar, so an alias that
/// pastes one huge string as a key into many mappings costs little; equality still compares
/// whole strings, and strings shared through an alias compare by identity in O(1).
struct MappingKey: Hashable {
    /// The key node.
    let node: YAMLNode

    static func == (lhs: MappingKey, rhs: MappingKey) -> Bool {
        sameContent(lhs.node, rhs.node)
    }

    func hash(into hasher: inout Hasher) {
        Self.hashContent(node, into: &hasher)
    }

    /// Recursion is bounded by `YAMLLimits.maxDepth`, which the builder enforces before a key
    /// can exist.
    private static func sameContent(_ a: YAMLNode, _ b: YAMLNode) -> Bool {
        switch (a.content, b.content) {
        case (.scalar(let x), .scalar(let y)):
            return x.text == y.text
        case (.sequence(let x), .sequence(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { sameContent($0, $1) }
        case (.mapping(let x), .mapping(let y)):
            return x.count == y.count
                && zip(x, y).allSatisfy { sameContent($0.key, $1.key) && sameContent($0.value, $1.value) }
        default:
            return false
        }
    }

    private static func hashContent(_ node: YAMLNode, into hasher: inout Hasher) {
        switch node.content {
        case .scalar(let scalar):
            hasher.combine(0 as UInt8)
            hasher.combine(scalar.text.utf8.count)
            for byte in scalar.text.utf8.prefix(64) { hasher.combine(byte) }
        case .sequence(let items):
            hasher.combine(1 as UInt8)
            hasher.combine(items.count)
            for item in items.prefix(8) { hashContent(item, into: &hasher) }
        case .mapping(let pairs):
            hasher.combine(2 as UInt8)
            hasher.combine(pairs.count)
            for pair in pairs.prefix(8) { hashContent(pair.key, into: &hasher) }
        }
    }

    /// How the key reads in a message: the scalar text, or its kind for a collection key.
    var description: String {
        if let scalar = node.scalar { return scalar.text }
        return node.kindDescription
    }
}
