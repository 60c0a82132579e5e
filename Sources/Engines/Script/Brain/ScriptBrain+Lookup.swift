/// Finding the trigger that answers an input.
extension ScriptBrain {
    /// A trigger that matched, with what its wildcards captured.
    public struct Found: Sendable {
        /// The matching entry.
        public var entry: Entry
        /// The rule it belongs to.
        public var rule: ScriptRule
        /// Trigger captures, user's spelling.
        public var captures: [String]
        /// `after:` captures from the bot's previous reply.
        public var botCaptures: [String]
    }

    /// The first trigger of `topic` (in sort order) that matches `words`; `lastReply` is the
    /// bot's previous reply, normalised, for `after:` rules.
    public func firstMatch(topic: String, words: [InputWord], lastReply: [InputWord]?, maxSteps: Int) -> Found? {
        guard let matcher = topics[topic] ?? topics[ScriptTopic.defaultName] else { return nil }
        if let lastReply, !matcher.afterEntries.isEmpty {
            for entry in matcher.afterEntries {
                let rule = rules[entry.ruleIndex]
                guard let after = rule.after,
                    let botMatch = PatternMatcher.match(after.pattern, lastReply, maxSteps: maxSteps),
                    let match = PatternMatcher.match(entry.pattern, words, maxSteps: maxSteps)
                else { continue }
                return Found(
                    entry: entry, rule: rule, captures: Self.texts(match.captures, words),
                    botCaptures: Self.texts(botMatch.captures, lastReply))
            }
        }
        let present = Set(words.map(\.key))
        let indexed = words.first.flatMap { matcher.firstWord[$0.key] } ?? []
        var i = 0
        var u = 0
        while i < indexed.count || u < matcher.unindexed.count {
            let position: Int
            if u >= matcher.unindexed.count || (i < indexed.count && indexed[i] < matcher.unindexed[u]) {
                position = indexed[i]
                i += 1
            } else {
                position = matcher.unindexed[u]
                u += 1
            }
            let entry = matcher.entries[position]
            guard entry.required.allSatisfy(present.contains) else { continue }
            if let match = PatternMatcher.match(entry.pattern, words, maxSteps: maxSteps) {
                return Found(entry: entry, rule: rules[entry.ruleIndex], captures: Self.texts(match.captures, words), botCaptures: [])
            }
        }
        return nil
    }

    static func texts(_ ranges: [Range<Int>], _ words: [InputWord]) -> [String] {
        ranges.map { range in words[range].map(\.original).joined(separator: " ") }
    }
}
