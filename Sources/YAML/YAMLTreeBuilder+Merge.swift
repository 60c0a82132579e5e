internal import Diagnostics

/// Merge keys (the YAML 1.1 `<<` type, https://yaml.org/type/merge.html): `<<: *base` or
/// `<<: [*a, *b]` copies the pairs of the named mappings into this one. Keys written in the
/// mapping itself win wherever they appear; among merged mappings the first listed wins. The
/// merged pairs take the place of the `<<` entry, so document order stays readable.
extension YAMLTreeBuilder {
    /// The mappings a `<<` value names: one mapping, or a list of mappings.
    static func mergeSources(_ value: YAMLNode) throws(YAMLError) -> [[YAMLPair]] {
        switch value.content {
        case .mapping(let pairs):
            return [pairs]
        case .sequence(let items):
            var sources: [[YAMLPair]] = []
            for item in items {
                guard let pairs = item.mapping else { throw badMerge(item) }
                sources.append(pairs)
            }
            return sources
        case .scalar:
            throw badMerge(value)
        }
    }

    private static func badMerge(_ node: YAMLNode) -> YAMLError {
        YAMLError(
            .syntax, at: node.location,
            "merge key '<<' takes a mapping or a list of mappings (such as '*base' or '[*a, *b]'), not \(node.kindDescription)"
        )
    }

    /// The frame's pairs with its merges applied.
    static func merged(_ frame: Frame) -> [YAMLPair] {
        guard !frame.merges.isEmpty else { return frame.pairs }
        var taken = Set(frame.pairs.map { MappingKey(node: $0.key) })
        var result: [YAMLPair] = []
        result.reserveCapacity(frame.pairs.count)
        var next = 0
        for merge in frame.merges {
            result.append(contentsOf: frame.pairs[next..<merge.index])
            next = merge.index
            for source in merge.sources {
                for pair in source where taken.insert(MappingKey(node: pair.key)).inserted {
                    result.append(pair)
                }
            }
        }
        result.append(contentsOf: frame.pairs[next...])
        return result
    }
}
