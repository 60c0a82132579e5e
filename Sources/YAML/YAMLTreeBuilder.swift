internal import Diagnostics

/// Builds one ``YAMLNode`` tree from libyaml events, enforcing every semantic rule and limit as
/// the events arrive.
///
/// Open collections live on an explicit stack, never on the call stack, so nesting costs heap
/// and is bounded only by `maxDepth`. Every limit is checked before the work it guards: depth
/// when a collection starts, node counts before a node (or an alias's copy) is added.
struct YAMLTreeBuilder {
    /// A node with the bookkeeping the limits need.
    struct Built {
        var node: YAMLNode
        /// Nodes in the subtree, aliases counted as expanded.
        var count: Int
        /// Collection levels in the subtree: 0 for a scalar, 1 for a flat list, …
        var height: Int
    }

    /// One open sequence or mapping.
    struct Frame {
        var isMapping: Bool
        var location: SourceLocation
        var anchor: String?
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var pendingKey: YAMLNode?
        /// Every key seen so far and where it was first written.
        var keys: [MappingKey: SourceLocation] = [:]
        /// `<<` entries: the index in `pairs` they stand at, and the mappings to merge there.
        var merges: [(index: Int, sources: [[YAMLPair]])] = []
        var pendingKeyIsMerge = false
        var count = 1
        var height = 1
    }

    let limits: YAMLLimits
    private var stack: [Frame] = []
    private var anchors: [String: Built] = [:]
    private var nodeCount = 0
    private var expansion = 0
    private var documents = 0
    private(set) var root: YAMLNode?

    init(limits: YAMLLimits) {
        self.limits = limits
    }

    /// Applies one event.
    mutating func apply(_ event: YAMLEvent) throws(YAMLError) {
        switch event {
        case .streamStart, .streamEnd, .documentEnd:
            return
        case .documentStart(let location):
            documents += 1
            if documents > 1 {
                throw YAMLError(
                    .multipleDocuments, at: location,
                    "a second YAML document starts here; a file holds exactly one document (remove the '---' line or split the file)"
                )
            }
        case .scalar(let scalar, let properties):
            try refuseTag(properties)
            try countNode(at: properties.location)
            try add(
                Built(node: YAMLNode(.scalar(scalar), location: properties.location), count: 1, height: 0),
                anchor: properties.anchor)
        case .alias(let name, let location):
            try addAlias(name, at: location)
        case .sequenceStart(let properties):
            try open(isMapping: false, properties)
        case .mappingStart(let properties):
            try open(isMapping: true, properties)
        case .sequenceEnd, .mappingEnd:
            try close()
        }
    }

    private func refuseTag(_ properties: YAMLEvent.Properties) throws(YAMLError) {
        guard var tag = properties.tag else { return }
        // libyaml hands over the resolved tag; show the `!!` short form the author wrote.
        let core = "tag:yaml.org,2002:"
        if tag.hasPrefix(core) { tag = "!!" + tag.dropFirst(core.count) }
        throw YAMLError(
            .unsupportedTag, at: properties.location,
            "explicit tag '\(tag)' is not supported; personality files use plain YAML, so remove the tag (quote the value if it must stay a string)"
        )
    }

    private mutating func countNode(at location: SourceLocation) throws(YAMLError) {
        guard nodeCount + 1 <= limits.maxNodes else { throw tooManyNodes(at: location) }
        nodeCount += 1
    }

    private func tooManyNodes(at location: SourceLocation) -> YAMLError {
        YAMLError(
            .limitExceeded(.maxNodes), at: location,
            "document has more than \(limits.maxNodes) nodes (limit \(YAMLLimit.maxNodes.rawValue))")
    }

    private func tooDeep(at location: SourceLocation) -> YAMLError {
        YAMLError(
            .limitExceeded(.maxDepth), at: location,
            "document nests deeper than \(limits.maxDepth) levels (limit \(YAMLLimit.maxDepth.rawValue))")
    }

    private mutating func open(isMapping: Bool, _ properties: YAMLEvent.Properties) throws(YAMLError) {
        try refuseTag(properties)
        guard stack.count + 1 <= limits.maxDepth else { throw tooDeep(at: properties.location) }
        try countNode(at: properties.location)
        stack.append(Frame(isMapping: isMapping, location: properties.location, anchor: properties.anchor))
    }

    private mutating func close() throws(YAMLError) {
        guard let frame = stack.popLast() else { return }
        let node: YAMLNode
        if frame.isMapping {
            node = YAMLNode(.mapping(Self.merged(frame)), location: frame.location)
        } else {
            node = YAMLNode(.sequence(frame.items), location: frame.location)
        }
        try add(Built(node: node, count: frame.count, height: frame.height), anchor: frame.anchor)
    }

    /// Replaces an alias by a copy of its anchored node (YAML 1.2 §7.1), after checking that
    /// the copy keeps within `maxAliasExpansion`, `maxNodes` and `maxDepth`. The copy is a Swift
    /// value, so it shares storage with the original until someone mutates it.
    private mutating func addAlias(_ name: String, at location: SourceLocation) throws(YAMLError) {
        if stack.contains(where: { $0.anchor == name }) {
            throw YAMLError(
                .undefinedAlias, at: location,
                "alias '*\(name)' refers to a node that contains it; recursive structures are not allowed")
        }
        guard let anchored = anchors[name] else {
            throw YAMLError(
                .undefinedAlias, at: location,
                "alias '*\(name)' refers to no anchor; define '&\(name)' before using it")
        }
        guard expansion + anchored.count <= limits.maxAliasExpansion else {
            throw YAMLError(
                .limitExceeded(.maxAliasExpansion), at: location,
                "aliases expand to more than \(limits.maxAliasExpansion) nodes (limit \(YAMLLimit.maxAliasExpansion.rawValue))"
            )
        }
        guard nodeCount + anchored.count <= limits.maxNodes else { throw tooManyNodes(at: location) }
        guard stack.count + anchored.height <= limits.maxDepth else { throw tooDeep(at: location) }
        expansion += anchored.count
        nodeCount += anchored.count
        try add(anchored, anchor: nil)
    }

    /// Hands a finished node to its parent (or makes it the root) and records its anchor.
    private mutating func add(_ built: Built, anchor: String?) throws(YAMLError) {
        if let anchor { anchors[anchor] = built }
        guard !stack.isEmpty else {
            root = built.node
            return
        }
        let top = stack.count - 1
        stack[top].count += built.count
        stack[top].height = max(stack[top].height, built.height + 1)
        guard stack[top].isMapping else {
            stack[top].items.append(built.node)
            return
        }
        guard let key = stack[top].pendingKey else {
            try addKey(built.node, frame: top)
            return
        }
        stack[top].pendingKey = nil
        if stack[top].pendingKeyIsMerge {
            stack[top].pendingKeyIsMerge = false
            let sources = try Self.mergeSources(built.node)
            stack[top].merges.append((stack[top].pairs.count, sources))
        } else {
            stack[top].pairs.append(YAMLPair(key: key, value: built.node))
        }
    }

    private mutating func addKey(_ key: YAMLNode, frame top: Int) throws(YAMLError) {
        let identity = MappingKey(node: key)
        if let first = stack[top].keys[identity] {
            throw YAMLError(
                .duplicateKey, at: key.location,
                "duplicate key '\(identity.description)' (first defined at \(first.line):\(first.column))")
        }
        stack[top].keys[identity] = key.location
        stack[top].pendingKey = key
        stack[top].pendingKeyIsMerge = key.scalar.map { $0.style == .plain && $0.text == "<<" } ?? false
    }
}
