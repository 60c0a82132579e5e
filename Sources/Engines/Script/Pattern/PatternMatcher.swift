/// Matches a compiled ``Pattern`` against normalised input words by backtracking.
///
/// Wildcards are non-greedy (RiveScript compiles `*` to `(.+?)`): the shortest span that lets
/// the rest match wins, so `* is *` on "a is b is c" captures "a" and "b is c". Optionals try
/// their alternatives in order, then nothing. Each step counts against a budget so a hostile
/// pattern such as `* * * * * * x` cannot take exponential time: when the budget runs out, the
/// pattern simply does not match (see ``ScriptConfiguration/maxMatchSteps``).
public struct PatternMatcher {
    /// A successful match: the spans of input words each capture covers, in order.
    public struct Match: Hashable, Sendable {
        /// Word ranges of `{star1}`, `{star2}`, …
        public var captures: [Range<Int>]
    }

    /// Gives the words of a trigger tag's value at match time (already normalised to keys).
    public typealias TagResolver = (TriggerTag) -> [String]

    private final class Run {
        let words: [InputWord]
        var captures: [Range<Int>] = []
        var steps = 0
        let budget: Int
        let resolve: TagResolver?

        init(words: [InputWord], budget: Int, resolve: TagResolver?) {
            self.words = words
            self.budget = budget
            self.resolve = resolve
        }

        func sequence(_ elements: [PatternElement], _ index: Int, _ position: Int, _ rest: (Int) -> Bool)
            -> Bool
        {
            steps += 1
            if steps > budget { return false }
            if index == elements.count { return rest(position) }
            switch elements[index] {
            case .word(let word):
                guard position < words.count, words[position].key == word else { return false }
                return sequence(elements, index + 1, position + 1, rest)
            case .wildcard(let kind, let captures):
                var end = position + 1
                while end <= words.count, kind.accepts(words[end - 1].key) {
                    if captures { self.captures.append(position..<end) }
                    if sequence(elements, index + 1, end, rest) { return true }
                    if captures { self.captures.removeLast() }
                    if !kind.spansWords || steps > budget { break }
                    end += 1
                }
                return false
            case .tag(let tag):
                let value = resolve?(tag) ?? []
                guard position + value.count <= words.count else { return false }
                for (offset, word) in value.enumerated() where words[position + offset].key != word {
                    return false
                }
                return sequence(elements, index + 1, position + value.count, rest)
            case .group(let alternatives, let captures, let optional):
                // The capture's slot is fixed before the alternative runs, so a group's capture
                // comes before those of groups nested in it (numbered by opening bracket).
                let slot = self.captures.count
                for alternative in alternatives {
                    let matched = sequence(alternative, 0, position) { end in
                        if captures { self.captures.insert(position..<end, at: slot) }
                        if self.sequence(elements, index + 1, end, rest) { return true }
                        if captures { self.captures.remove(at: slot) }
                        return false
                    }
                    if matched { return true }
                    if steps > budget { return false }
                }
                return optional && sequence(elements, index + 1, position, rest)
            }
        }
    }

    /// Matches the whole of `words`; `nil` when the pattern does not match (or the budget of
    /// `maxSteps` matcher steps runs out). `resolve` gives the values of trigger tags; without
    /// it they stand for no words.
    ///
    /// A bare `*` also matches an empty message, capturing nothing (RiveScript's catch-all
    /// answers a message that normalisation left empty, with an empty `<star>`).
    public static func match(
        _ pattern: Pattern, _ words: [InputWord], maxSteps: Int, resolve: TagResolver? = nil
    ) -> Match? {
        matchCounting(pattern, words, maxSteps: maxSteps, resolve: resolve).match
    }

    /// Like ``match(_:_:maxSteps:resolve:)``, also returning the steps used (for limit tests and
    /// lint).
    public static func matchCounting(
        _ pattern: Pattern, _ words: [InputWord], maxSteps: Int, resolve: TagResolver? = nil
    ) -> (match: Match?, steps: Int) {
        if words.isEmpty, pattern.elements.count == 1, case .wildcard(.any, let captures) = pattern.elements[0] {
            return (Match(captures: captures ? [0..<0] : []), 1)
        }
        let run = Run(words: words, budget: maxSteps, resolve: resolve)
        let matched = run.sequence(pattern.elements, 0, 0) { $0 == words.count }
        return (matched ? Match(captures: run.captures) : nil, run.steps)
    }
}
