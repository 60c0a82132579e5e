/// The compiled matcher of a script: for every topic, its triggers — own, included and
/// inherited — in RiveScript's deterministic order, indexed by first word.
///
/// ## Sort order
///
/// Triggers of a topic are tried in ascending order of this key (the first that matches wins):
/// 1. `weight`, higher first (like RiveScript, weight beats everything, even inheritance);
/// 2. inheritance level: the topic's own rules and its includes (recursively) are level 0,
///    rules of a topic it inherits are one level deeper than the inheriting topic;
/// 3. category: atomic (words only) < with optionals/alternatives < containing `_` <
///    containing `#` < containing `*` < bare `_` < bare `#` < bare `*`;
/// 4. words, more first (whitespace-separated pieces of the trigger as written);
/// 5. length in characters (punctuation that normalisation drops not counted), longer first;
/// 6. definition order in the file (then the trigger's position in its rule's `match:` list).
///
/// Rules with `after:` are kept in a separate list, sorted the same way, and tried before all
/// others whenever the bot's previous reply matches their `after:` pattern (RiveScript's
/// `%previous`).
///
/// ## Index
///
/// A trigger that must start with a literal word (or one of a group's or leading optional's
/// first words) is filed under that word. A trigger that can start with a wildcard is filed
/// under its first top-level literal word (its "anchor"), which any matching input contains
/// somewhere. Only triggers with no literal word at all (`*`, `# _`) are left unindexed. A
/// lookup gathers the input's first-word list, the anchor lists of every input word and the
/// unindexed list, visits them in sort order, and skips a trigger without running the matcher
/// when one of its top-level literal words is absent from the input. With 10,000 rules this
/// visits a handful of triggers per message.
public struct ScriptBrain: Sendable, Hashable {
    /// One trigger of one rule, placed in a topic's order.
    public struct Entry: Sendable {
        /// The rule (shared storage: ``ScriptBrain/rules``).
        public var ruleIndex: Int
        /// Which of the rule's triggers.
        public var triggerIndex: Int
        /// The compiled trigger.
        public var pattern: Pattern
        /// Inheritance level (0 = the topic's own or included rules).
        public var level: Int
        /// The topic the rule was written in.
        public var sourceTopic: String
        let required: [String]
        /// The sort key, computed once: (weight, level, category, words, length, order, trigger).
        let key: SortKey
    }

    /// The fields of the documented order, in precedence order.
    struct SortKey: Sendable {
        var weight: Int
        var level: Int
        var category: Int
        var words: Int
        var length: Int
        var order: Int
        var trigger: Int

        /// True when an entry with this key is tried before one with `other`.
        func precedes(_ other: SortKey) -> Bool {
            if weight != other.weight { return weight > other.weight }
            if level != other.level { return level < other.level }
            if category != other.category { return category < other.category }
            if words != other.words { return words > other.words }
            if length != other.length { return length > other.length }
            if order != other.order { return order < other.order }
            return trigger < other.trigger
        }
    }

    /// A topic's compiled trigger lists.
    public struct TopicMatcher: Sendable {
        /// Triggers without `after:`, in sort order.
        public var entries: [Entry] = []
        /// Triggers with `after:`, in sort order.
        public var afterEntries: [Entry] = []
        var firstWord: [String: [Int]] = [:]
        var anchored: [String: [Int]] = [:]
        var unindexed: [Int] = []
    }

    /// Every rule, by ``Entry/ruleIndex``.
    public private(set) var rules: [ScriptRule] = []
    /// Matchers by topic name.
    public private(set) var topics: [String: TopicMatcher] = [:]
    /// True when some trigger or `after:` reads a value at match time (`{get name}`, …), so
    /// lookups must be given a resolver.
    public private(set) var hasTags = false

    /// Compiles `topics`.
    public init(topics: [String: ScriptTopic]) {
        var ruleIndex: [Int: Int] = [:]
        for topic in topics.values.sorted(by: { $0.name < $1.name }) {
            for rule in topic.rules {
                ruleIndex[rule.order] = rules.count
                rules.append(rule)
                if rule.triggers.contains(where: \.pattern.hasTags) || rule.after?.pattern.hasTags == true {
                    hasTags = true
                }
            }
        }
        // Sort measures per (rule, trigger), computed once even when several topics include or
        // inherit the same rules.
        var measures: [Int: [(category: Int, words: Int, length: Int)]] = [:]
        for name in topics.keys {
            var collected: [(rule: Int, level: Int)] = []
            var seen: Set<Int> = []
            Self.collect(
                name, level: 0, topics: topics, ruleIndex: ruleIndex, into: &collected, seen: &seen,
                visiting: [])
            var plain: [Entry] = []
            var after: [Entry] = []
            for (index, level) in collected {
                let rule = rules[index]
                let ruleMeasures =
                    measures[index]
                    ?? rule.triggers.map { trigger in
                        let metrics = trigger.pattern.sortMetrics
                        return (trigger.pattern.category, metrics.words, metrics.length)
                    }
                measures[index] = ruleMeasures
                for (triggerIndex, trigger) in rule.triggers.enumerated() {
                    let pattern = trigger.pattern
                    let measure = ruleMeasures[triggerIndex]
                    let key = SortKey(
                        weight: rule.weight, level: level, category: measure.category,
                        words: measure.words,
                        length: measure.length, order: rule.order, trigger: triggerIndex)
                    let entry = Entry(
                        ruleIndex: index, triggerIndex: triggerIndex, pattern: pattern, level: level,
                        sourceTopic: rule.topic, required: Array(Set(pattern.requiredWords)), key: key)
                    if rule.after == nil { plain.append(entry) } else { after.append(entry) }
                }
            }
            let sorter = { (a: Entry, b: Entry) -> Bool in a.key.precedes(b.key) }
            var matcher = TopicMatcher()
            matcher.entries = plain.sorted(by: sorter)
            matcher.afterEntries = after.sorted(by: sorter)
            for (position, entry) in matcher.entries.enumerated() {
                if let words = entry.pattern.firstWords {
                    for word in words { matcher.firstWord[word, default: []].append(position) }
                } else if let anchor = entry.pattern.requiredWords.first {
                    matcher.anchored[anchor, default: []].append(position)
                } else {
                    matcher.unindexed.append(position)
                }
            }
            self.topics[name] = matcher
        }
    }

    /// Always equal: the brain is derived from the topics, which the section compares.
    public static func == (lhs: ScriptBrain, rhs: ScriptBrain) -> Bool { true }

    /// Hashes nothing, consistently with `==`.
    public func hash(into hasher: inout Hasher) {}

    /// Own rules and includes at `level`, then inherited topics one level deeper.
    private static func collect(
        _ name: String, level: Int, topics: [String: ScriptTopic], ruleIndex: [Int: Int],
        into collected: inout [(rule: Int, level: Int)], seen: inout Set<Int>, visiting: Set<String>
    ) {
        guard let topic = topics[name], !visiting.contains(name) else { return }
        let visiting = visiting.union([name])
        var sameLevel: [String] = [name]
        var queue = topic.includes
        while let next = queue.first {
            queue.removeFirst()
            guard !sameLevel.contains(next), let included = topics[next] else { continue }
            sameLevel.append(next)
            queue.append(contentsOf: included.includes)
        }
        for member in sameLevel {
            for rule in topics[member]?.rules ?? [] {
                guard let index = ruleIndex[rule.order], seen.insert(index).inserted else { continue }
                collected.append((index, level))
            }
        }
        for member in sameLevel {
            for inherited in topics[member]?.inherits ?? [] {
                collect(
                    inherited, level: level + 1, topics: topics, ruleIndex: ruleIndex, into: &collected,
                    seen: &seen, visiting: visiting)
            }
        }
    }
}
