import Diagnostics
import YAML

/// A mapping's keys looked up by name, remembering which were read, so that every key left
/// unread at the end is reported as unknown — with a "did you mean" when it is a near miss.
///
/// Typical use:
/// ```swift
/// guard var fields = MappingFields(node, "stream", context: &context) else { return nil }
/// let rate = fields.int("tokens_per_second", range: 0...10_000, context: &context)
/// fields.reportUnknownKeys(in: "stream", context: &context)
/// ```
public struct MappingFields: Sendable {
    /// The mapping node itself (for locating "missing key" errors).
    public let node: YAMLNode
    private let pairs: [YAMLPair]
    private var read: Set<String> = []

    /// Reads `node` as a mapping; reports an error naming `what` and returns `nil` otherwise.
    public init?(_ node: YAMLNode, _ what: String, context: inout DecodingContext) {
        guard let pairs = node.mapping else {
            context.error("wrong-type", at: node, "'\(what)' must be a mapping, found \(node.kindDescription)")
            return nil
        }
        self.node = node
        self.pairs = pairs
    }

    /// The keys present, in document order (scalar keys only).
    public var keys: [String] { pairs.compactMap { $0.key.scalar?.text } }

    /// The value under `key`, marking it read; `nil` when absent.
    public mutating func value(_ key: String) -> YAMLNode? {
        read.insert(key)
        return pairs.first { $0.key.scalar?.text == key }?.value
    }

    /// True when `key` is present (does not mark it read).
    public func contains(_ key: String) -> Bool {
        pairs.contains { $0.key.scalar?.text == key }
    }

    /// The value under `key`; reports "missing required key" at the mapping when absent.
    public mutating func required(_ key: String, in what: String, context: inout DecodingContext) -> YAMLNode? {
        guard let value = value(key) else {
            context.error("missing-key", at: node, "\(what) is missing required key '\(key)'")
            return nil
        }
        return value
    }

    /// Marks keys as read without decoding them (for keys another pass owns).
    public mutating func markRead(_ keys: some Sequence<String>) {
        read.formUnion(keys)
    }

    /// Pairs whose keys were not read, in document order.
    public var unreadPairs: [YAMLPair] {
        pairs.filter { pair in
            guard let key = pair.key.scalar?.text else { return true }
            return !read.contains(key)
        }
    }

    /// Reports every key not read so far as unknown, suggesting the nearest known key.
    ///
    /// `known` lists the keys the caller accepts (used for suggestions); defaults to the keys
    /// read so far, which is exactly the set the decoder asked for.
    public func reportUnknownKeys(in what: String, known: [String]? = nil, context: inout DecodingContext) {
        let candidates = known ?? Array(read).sorted()
        for pair in unreadPairs {
            guard let key = pair.key.scalar?.text else {
                context.error("wrong-type", at: pair.key, "keys in '\(what)' must be strings, found \(pair.key.kindDescription)")
                continue
            }
            var message = "unknown key '\(key)' in \(what)"
            if let suggestion = Suggestion.closest(to: key, among: candidates) {
                message += "; did you mean '\(suggestion)'?"
            }
            context.error("unknown-key", at: pair.key, message)
        }
    }
}
