import Diagnostics
import Personality

/// Whole-script checks run after decoding (see ``ScriptSectionDecoder/lint(_:of:context:)``):
///
/// - `shadowed-trigger` (warning): a trigger that can never answer because a trigger sorted
///   before it matches everything it matches — an exact duplicate after normalisation, or a
///   broader trigger (wildcards, optionals, a higher weight) placed above it. Found by building
///   sample inputs from the trigger (each alternative, with and without optionals, wildcards
///   filled with one and two placeholder words) and looking each up: if another trigger wins
///   every sample, the trigger is shadowed. A heuristic, hence a warning.
/// - `unreachable-topic` (warning): a topic never switched to, included or inherited.
/// - `unset-variable` (warning): `{get x}` without a default where nothing ever sets `x`.
/// - `redirect-cycle` (warning): static redirects that lead back to themselves. Not an error:
///   RiveScript brains in the wild have them, and at run time the chain simply stops at
///   `max_redirect_depth` (with the fallback, or RiveScript's deep-recursion answer).
/// - `redirect-unmatched` (warning): a static redirect whose text no trigger matches.
/// - template errors in `greeting:` / `farewell:` (error), with did-you-mean.
struct ScriptLinter {
    let section: ScriptSection
    let personality: Personality

    func run(context: inout DecodingContext) {
        lintGreetings(context: &context)
        lintShadowing(context: &context)
        lintTopics(context: &context)
        lintVariables(context: &context)
        lintRedirects(context: &context)
    }

    // MARK: greetings

    private var greetingTemplates: [Template] {
        (personality.greetings + personality.farewells).compactMap { try? TemplateParser.parse($0) }
    }

    private func lintGreetings(context: inout DecodingContext) {
        for text in personality.greetings + personality.farewells {
            do throws(PatternError) {
                _ = try TemplateParser.parse(text)
            } catch {
                context.error(
                    error.code, at: personality.source.location,
                    "in greeting/farewell '\(text)': \(error.message)")
            }
        }
    }

    // MARK: shadowing

    private func lintShadowing(context: inout DecodingContext) {
        let brain = section.brain
        for (topicName, matcher) in brain.topics.sorted(by: { $0.key < $1.key }) {
            var reported: Set<Int> = []
            for entry in matcher.entries where entry.sourceTopic == topicName && entry.level == 0 {
                // A trigger that reads values at match time cannot be judged from samples.
                guard !entry.pattern.hasTags else { continue }
                let samples = Self.samples(of: entry.pattern.elements)
                guard !samples.isEmpty else { continue }
                var winner: ScriptBrain.Entry?
                var shadowed = true
                for sample in samples {
                    let words = sample.map { InputWord(key: $0, original: $0) }
                    guard
                        let found = brain.firstMatch(
                            topic: topicName, words: words, lastReply: nil,
                            maxSteps: section.configuration.maxMatchSteps)
                    else {
                        shadowed = false
                        break
                    }
                    if found.entry.ruleIndex == entry.ruleIndex {
                        shadowed = false
                        break
                    }
                    winner = winner ?? found.entry
                }
                guard shadowed, let winner,
                    reported.insert(entry.ruleIndex * 1_000 + entry.triggerIndex).inserted
                else { continue }
                let rule = brain.rules[entry.ruleIndex]
                let other = brain.rules[winner.ruleIndex].triggers[winner.triggerIndex]
                let same = winner.pattern.elements == entry.pattern.elements
                let why = same ? "it duplicates" : "it is always beaten by"
                context.warning(
                    "shadowed-trigger", at: rule.triggers[entry.triggerIndex].location.location,
                    "trigger '\(entry.pattern.text)' can never match: \(why) '\(winner.pattern.text)' at \(other.location.location), which is tried first"
                )
            }
        }
    }

    /// Sample inputs a pattern matches: every alternative once, optionals with and without,
    /// wildcards as one and as two placeholder words. At most 16.
    static func samples(of elements: [PatternElement]) -> [[String]] {
        // A trigger with an empty array that is not optional matches nothing: no samples.
        guard !requiresEmptyGroup(elements) else { return [] }
        var results: [[String]] = []
        for variant in 0..<16 {
            var words: [String] = []
            var usedChoice = false
            expand(elements, variant: variant, into: &words, usedChoice: &usedChoice)
            if !results.contains(words), !words.isEmpty { results.append(words) }
            if !usedChoice && variant >= 1 { break }
        }
        return results
    }

    private static func requiresEmptyGroup(_ elements: [PatternElement]) -> Bool {
        elements.contains { element in
            guard case .group(let alternatives, _, let optional) = element, !optional else { return false }
            return alternatives.isEmpty || alternatives.allSatisfy(requiresEmptyGroup)
        }
    }

    private static func expand(
        _ elements: [PatternElement], variant: Int, into words: inout [String], usedChoice: inout Bool
    ) {
        for (position, element) in elements.enumerated() {
            switch element {
            case .word(let word): words.append(word)
            case .tag:
                break
            case .wildcard(let kind, _):
                let filler = kind == .number ? ["42", "7"] : ["zqxa", "zqxb"]
                words.append(filler[0])
                if variant % 2 == 1, kind.spansWords { words.append(filler[1]) }
            case .group(let alternatives, _, let optional):
                usedChoice = true
                let choices = alternatives.count + (optional ? 1 : 0)
                let pick = (variant / 2 + position) % choices
                if pick < alternatives.count {
                    expand(alternatives[pick], variant: variant, into: &words, usedChoice: &usedChoice)
                }
            }
        }
    }

    // MARK: topics

    private func lintTopics(context: inout DecodingContext) {
        var referenced: Set<String> = [ScriptTopic.defaultName]
        for topic in section.topics.values {
            referenced.formUnion(topic.includes)
            referenced.formUnion(topic.inherits)
        }
        for rule in section.allRules {
            if let next = rule.nextTopic { referenced.insert(next) }
            for template in rule.templates {
                template.visit { if case .topic(let name) = $0 { referenced.insert(name) } }
            }
        }
        for template in section.fallback.map(\.template) + greetingTemplates {
            template.visit { if case .topic(let name) = $0 { referenced.insert(name) } }
        }
        // Under compat: rivescript, `{set topic=…}` computed at run time can reach any topic.
        var dynamicSwitch = false
        if section.compatibility == .rivescript {
            for template in section.allRules.flatMap(\.templates) {
                template.visit {
                    if case .set("topic", let value) = $0, value.count != 1 || Template(source: "", nodes: value).staticText == nil {
                        dynamicSwitch = true
                    }
                }
            }
        }
        for topic in section.topics.values.sorted(by: { $0.name < $1.name })
        where !referenced.contains(topic.name) && !dynamicSwitch {
            context.warning(
                "unreachable-topic", at: topic.location.location,
                "topic '\(topic.name)' is unreachable: no rule switches to it and no topic includes or inherits it"
            )
        }
    }

    // MARK: variables

    private func lintVariables(context: inout DecodingContext) {
        var assigned: Set<String> = []
        var reads: [(String, SourceLocation)] = []
        func scan(_ template: Template, at location: SourceLocation) {
            template.visit { node in
                switch node {
                case .get(let name, nil): reads.append((name, location))
                case .set(let name, _), .math(_, let name, _): assigned.insert(name)
                default: break
                }
            }
        }
        for rule in section.allRules {
            assigned.formUnion(rule.assignments.map(\.name))
            for template in rule.templates { scan(template, at: rule.location.location) }
        }
        for template in section.fallback.map(\.template) + greetingTemplates {
            scan(template, at: personality.source.location)
        }
        var warned: Set<String> = []
        for (name, location) in reads where !assigned.contains(name) && warned.insert(name).inserted {
            var message = "variable '\(name)' is read with {get \(name)} but never set"
            if let near = Suggestion.closest(to: name, among: assigned.sorted()) {
                message += "; did you mean '\(near)'?"
            } else {
                message += "; give it a default with {get \(name)|…}"
            }
            context.warning("unset-variable", at: location, message)
        }
    }

    // MARK: redirects

    private func lintRedirects(context: inout DecodingContext) {
        let brain = section.brain
        var edges: [Int: Int] = [:]
        for (index, rule) in brain.rules.enumerated() {
            let target: Template?
            if let redirect = rule.redirect {
                target = redirect
            } else if rule.replies.count == 1, rule.conditions.isEmpty,
                rule.replies[0].template.nodes.count == 1,
                case .redirect(let inner) = rule.replies[0].template.nodes[0]
            {
                target = Template(source: "", nodes: inner)
            } else {
                target = nil
            }
            guard let text = target?.staticText else { continue }
            let words = section.normalizer.words(text)
            let topic = rule.nextTopic == nil ? rule.topic : rule.topic
            guard
                let found = brain.firstMatch(
                    topic: topic, words: words, lastReply: nil, maxSteps: section.configuration.maxMatchSteps)
            else {
                if section.fallback.isEmpty || rule.redirect != nil {
                    context.warning(
                        "redirect-unmatched", at: (rule.redirectLocation ?? rule.location).location,
                        "redirect to '\(text)' matches no trigger in topic '\(topic)'")
                }
                continue
            }
            edges[index] = found.entry.ruleIndex
        }
        var reported: Set<Int> = []
        for start in edges.keys.sorted() where !reported.contains(start) {
            var path: [Int] = [start]
            var current = start
            while let next = edges[current] {
                if let cycleStart = path.firstIndex(of: next) {
                    let cycle = Array(path[cycleStart...])
                    if cycle.allSatisfy({ !reported.contains($0) }) {
                        reported.formUnion(cycle)
                        let first = brain.rules[cycle.min()!]
                        let names = (cycle + [cycle[0]]).map {
                            "'\(brain.rules[$0].triggers.first?.pattern.text ?? "?")'"
                        }
                        context.warning(
                            "redirect-cycle", at: (first.redirectLocation ?? first.location).location,
                            "redirect cycle \(names.joined(separator: " → ")): it always ends at max_redirect_depth (\(section.configuration.maxRedirectDepth))"
                        )
                    }
                    break
                }
                path.append(next)
                current = next
            }
        }
    }
}
