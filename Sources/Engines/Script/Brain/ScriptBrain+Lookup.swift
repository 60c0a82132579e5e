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
    /// bot's previous reply, normalised, for `after:` rules; `resolve` reads trigger tags.
    public func firstMatch(
        topic: String, words: [InputWord], lastReply: [InputWord]?, maxSteps: Int,
        resolve: PatternMatcher.TagResolver? = nil
    ) -> Found? {
        firstMatch(topic: topic, words: words, lastReply: { lastReply }, maxSteps: maxSteps, resolve: resolve)
    }

    /// Like ``firstMatch(topic:words:lastReply:maxSteps:resolve:)``, normalising the previous
    /// reply only when the topic has `after:` rules.
    func firstMatch(
        topic: String, words: [InputWord], lastReply: () -> [InputWord]?, maxSteps: Int,
        resolve: PatternMatcher.TagResolver?
    ) -> Found? {
        guard let matcher = topics[topic] ?? topics[ScriptTopic.defaultName] else { return nil }
        if !matcher.afterEntries.isEmpty, let lastReply = lastReply() {
            for entry in matcher.afterEntries {
                let rule = rules[entry.ruleIndex]
                guard let after = rule.after,
                    let botMatch = PatternMatcher.match(
                        after.pattern, lastReply, maxSteps: maxSteps, resolve: resolve),
                    let match = PatternMatcher.match(entry.pattern, words, maxSteps: maxSteps, resolve: resolve)
                else { continue }
                return Found(
                    entry: entry, rule: rule, captures: Self.texts(match.captures, words),
                    botCaptures: Self.texts(botMatch.captures, lastReply))
            }
        }
        let present = Set(words.map(\.key))
        var candidates = words.first.flatMap { matcher.firstWord[$0.key] } ?? []
        for word in present {
            if let anchored = matcher.anchored[word] { candidates.append(contentsOf: anchored) }
        }
        candidates.append(contentsOf: matcher.unindexed)
        candidates.sort()
        var previous = -1
        for position in candidates where position != previous {
            previous = position
            let entry = matcher.entries[position]
            guard entry.required.allSatisfy(present.contains) else { continue }
            if let match = PatternMatcher.match(entry.pattern, words, maxSteps: maxSteps, resolve: resolve) {
                return Found(
                    entry: entry, rule: rules[entry.ruleIndex], captures: Self.texts(match.captures, words),
                    botCaptures: [])
            }
        }
        return nil
    }

    static func texts(_ ranges: [Range<Int>], _ words: [InputWord]) -> [String] {
        ranges.map { range in words[range].map(\.original).joined(separator: " ") }
    }
}
