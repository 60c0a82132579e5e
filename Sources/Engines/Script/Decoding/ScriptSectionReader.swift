import Diagnostics
import Personality
import YAML

/// The stateful walk behind ``ScriptSectionDecoder``: numbers rules in file order and
/// remembers arrays and topic names so later pieces can be checked against them.
struct ScriptSectionReader {
    private var order = 0
    private var parser = PatternParser()
    private var topicNames: [String] = [ScriptTopic.defaultName]
    /// Topic references to check once every topic is known: name and where it is written.
    private var topicReferences: [(String, SourceLocation)] = []
    /// Arrays by name, for checking `{random @name}` in templates.
    private var arrays: [String: [String]] = [:]
    /// True while reading the `begin:` hook, where `{ok}` is allowed.
    private var inBegin = false

    mutating func read(_ node: YAMLNode, context: inout DecodingContext) -> ScriptSection? {
        guard var fields = MappingFields(node, "script", context: &context) else { return nil }
        let errorsBefore = context.diagnostics.filter { $0.severity == .error }.count
        let substitutions =
            fields.value("substitutions").map { phrasePairs($0, "substitutions", context: &context) } ?? []
        let person = fields.value("person").map { phrasePairs($0, "person", context: &context) } ?? []
        var arrays: [String: [String]] = [:]
        if let arraysNode = fields.value("arrays"),
            var arrayFields = MappingFields(arraysNode, "arrays", context: &context)
        {
            for name in arrayFields.keys {
                if let items = arrayFields.strings(name, allowEmpty: true, context: &context) { arrays[name] = items }
            }
        }
        parser = PatternParser(arrays: arrays)
        self.arrays = arrays
        let variables = stringMap(fields.value("variables"), "variables", context: &context)
        let globals = stringMap(fields.value("globals"), "globals", context: &context)
        var compatibility = ScriptCompatibility.persona
        if let compatNode = fields.value("compat"), let text = context.string(compatNode, "compat") {
            if let value = ScriptCompatibility(rawValue: text) {
                compatibility = value
            } else {
                var message =
                    "'compat' must be one of \(ScriptCompatibility.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")), found '\(text)'"
                if let near = Suggestion.closest(to: text, among: ScriptCompatibility.allCases.map(\.rawValue)) {
                    message += "; did you mean '\(near)'?"
                }
                context.error("invalid-value", at: compatNode, message)
            }
        }
        var configuration = ScriptConfiguration()
        if let depth = fields.int("max_redirect_depth", range: 0...1_000, context: &context) {
            configuration.maxRedirectDepth = depth
        }
        if let steps = fields.int("max_match_steps", range: 100...10_000_000, context: &context) {
            configuration.maxMatchSteps = steps
        }

        let topicsNode = fields.value("topics")
        let topicPairs =
            topicsNode.flatMap { node -> [YAMLPair]? in
                guard let pairs = node.mapping else {
                    context.error(
                        "wrong-type", at: node,
                        "'topics' must be a mapping of topic names to topics, found \(node.kindDescription)")
                    return nil
                }
                return pairs
            } ?? []
        for pair in topicPairs {
            if let name = pair.key.scalar?.text, !topicNames.contains(name) { topicNames.append(name) }
        }

        var topics: [String: ScriptTopic] = [:]
        let randomRules =
            fields.value("rules").map { readRules($0, topic: ScriptTopic.defaultName, context: &context) }
            ?? []
        topics[ScriptTopic.defaultName] = ScriptTopic(
            name: ScriptTopic.defaultName, includes: [], inherits: [], rules: randomRules,
            location: SourceLocationBox(node.location))
        for pair in topicPairs {
            guard let name = pair.key.scalar?.text else {
                context.error("wrong-type", at: pair.key, "topic names must be strings")
                continue
            }
            guard var topicFields = MappingFields(pair.value, "topic '\(name)'", context: &context) else {
                continue
            }
            let includes = topicFields.strings("includes", context: &context) ?? []
            let inherits = topicFields.strings("inherits", context: &context) ?? []
            for (key, names) in [("includes", includes), ("inherits", inherits)] {
                let at =
                    topicFields.node.mapping?.first { $0.key.scalar?.text == key }?.value.location
                    ?? pair.key.location
                for referenced in names {
                    if referenced == name {
                        context.error(
                            "topic-cycle", at: at,
                            "topic '\(name)' cannot \(key == "includes" ? "include" : "inherit") itself")
                    } else {
                        topicReferences.append((referenced, at))
                    }
                }
            }
            let rules = topicFields.value("rules").map { readRules($0, topic: name, context: &context) } ?? []
            topicFields.reportUnknownKeys(
                in: "topic '\(name)'", known: ["includes", "inherits", "rules"], context: &context)
            var topic =
                topics[name]
                ?? ScriptTopic(
                    name: name, includes: [], inherits: [], rules: [],
                    location: SourceLocationBox(pair.key.location))
            topic.includes += includes
            topic.inherits += inherits
            topic.rules += rules
            topics[name] = topic
        }
        inBegin = true
        let begin =
            fields.value("begin").map { readRules($0, topic: ScriptTopic.beginName, context: &context) } ?? []
        inBegin = false
        let fallback = fields.value("fallback").map { readReplies($0, "fallback", context: &context) } ?? []
        fields.reportUnknownKeys(in: "script", known: ScriptSectionDecoder.sectionKeys, context: &context)

        for (name, location) in topicReferences where !topicNames.contains(name) {
            var message = "unknown topic '\(name)'"
            if let near = Suggestion.closest(to: name, among: topicNames) {
                message += "; did you mean '\(near)'?"
            }
            context.error("unknown-topic", at: location, message)
        }
        let errorsAfter = context.diagnostics.filter { $0.severity == .error }.count
        guard errorsAfter == errorsBefore else { return nil }
        return ScriptSection(
            substitutions: PhraseTable(substitutions), person: PhraseTable(person), arrays: arrays,
            variables: variables, globals: globals,
            topics: topics, begin: begin, fallback: fallback, configuration: configuration,
            compatibility: compatibility)
    }

    /// A mapping of names to string values (`variables:`, `globals:`).
    private func stringMap(_ node: YAMLNode?, _ what: String, context: inout DecodingContext) -> [String: String] {
        guard let node, var fields = MappingFields(node, what, context: &context) else { return [:] }
        var values: [String: String] = [:]
        for name in fields.keys {
            if let value = fields.string(name, context: &context) { values[name] = value }
        }
        return values
    }

    // MARK: - pieces

    private func phrasePairs(_ node: YAMLNode, _ what: String, context: inout DecodingContext) -> [(
        String, String
    )] {
        guard let pairs = node.mapping else {
            context.error(
                "wrong-type", at: node,
                "'\(what)' must be a mapping of phrases to replacements, found \(node.kindDescription)")
            return []
        }
        var result: [(String, String)] = []
        for pair in pairs {
            guard let key = context.nonEmptyString(pair.key, what),
                let value = context.string(pair.value, what)
            else { continue }
            if WordSplitter.rawWords(key).isEmpty {
                context.error("invalid-value", at: pair.key, "'\(key)' in \(what) has no words to match")
                continue
            }
            result.append((key, value))
        }
        return result
    }

    private mutating func readRules(_ node: YAMLNode, topic: String, context: inout DecodingContext)
        -> [ScriptRule]
    {
        guard let items = context.list(node, "rules") else { return [] }
        return items.compactMap { readRule($0, topic: topic, context: &context) }
    }

    private mutating func readRule(_ node: YAMLNode, topic: String, context: inout DecodingContext)
        -> ScriptRule?
    {
        guard var fields = MappingFields(node, "rule", context: &context) else { return nil }
        order += 1
        var triggers: [ScriptTrigger] = []
        if let matchNode = fields.required("match", in: "a rule", context: &context) {
            let nodes = matchNode.sequence ?? [matchNode]
            if nodes.isEmpty {
                context.error("empty-value", at: matchNode, "'match' must list at least one trigger")
            }
            for triggerNode in nodes {
                if let trigger = readTrigger(triggerNode, "match", context: &context) {
                    triggers.append(trigger)
                }
            }
        }
        let after = fields.value("after").flatMap { readTrigger($0, "after", context: &context) }
        let replyNode = fields.value("reply")
        let replies = replyNode.map { readReplies($0, "reply", context: &context) } ?? []
        var conditions: [ScriptCondition] = []
        let conditionsNode = fields.value("conditions")
        if let conditionsNode, let items = context.list(conditionsNode, "conditions") {
            for item in items {
                if let condition = readCondition(item, context: &context) { conditions.append(condition) }
            }
        }
        let redirectNode = fields.value("redirect")
        let redirect = redirectNode.flatMap { readTemplate($0, "redirect", context: &context) }
        var assignments: [ScriptAssignment] = []
        if let setNode = fields.value("set"), let pairs = setNode.mapping {
            for pair in pairs {
                guard let name = context.nonEmptyString(pair.key, "set") else { continue }
                if let value = readTemplate(pair.value, "set", context: &context) {
                    assignments.append(ScriptAssignment(name: name, value: value))
                }
            }
        } else if let setNode = fields.value("set") {
            context.error(
                "wrong-type", at: setNode,
                "'set' must be a mapping of variable names to values, found \(setNode.kindDescription)")
        }
        let topicNode = fields.value("topic")
        let nextTopic = topicNode.flatMap { context.nonEmptyString($0, "topic") }
        if let nextTopic, let topicNode { topicReferences.append((nextTopic, topicNode.location)) }
        let weight = fields.int("weight", range: -1_000_000...1_000_000, context: &context) ?? 0
        fields.reportUnknownKeys(in: "rule", known: ScriptSectionDecoder.ruleKeys, context: &context)

        if redirectNode != nil, replyNode != nil {
            context.error("conflicting-keys", at: node, "a rule has either 'reply' or 'redirect', not both")
        }
        if redirectNode != nil, conditionsNode != nil {
            context.error(
                "conflicting-keys", at: node, "a rule has either 'conditions' or 'redirect', not both")
        }
        if replyNode == nil, redirectNode == nil, conditionsNode == nil, fields.contains("match") {
            context.error("missing-key", at: node, "a rule needs 'reply', 'redirect' or 'conditions'")
        }
        return ScriptRule(
            order: order, topic: topic, triggers: triggers, after: after, replies: replies,
            conditions: conditions,
            redirect: redirect, assignments: assignments, nextTopic: nextTopic, weight: weight,
            location: SourceLocationBox(node.location),
            nextTopicLocation: topicNode.map { SourceLocationBox($0.location) },
            redirectLocation: redirectNode.map { SourceLocationBox($0.location) })
    }

    private func readTrigger(_ node: YAMLNode, _ what: String, context: inout DecodingContext)
        -> ScriptTrigger?
    {
        guard let text = context.nonEmptyString(node, what) else { return nil }
        do throws(PatternError) {
            let pattern = try parser.parse(text)
            return ScriptTrigger(pattern: pattern, location: SourceLocationBox(node.location))
        } catch {
            context.error(
                error.code, at: Self.location(of: node, offset: error.offset),
                "invalid trigger '\(text)': \(error.message)")
            return nil
        }
    }

    private mutating func readTemplate(_ node: YAMLNode, _ what: String, context: inout DecodingContext)
        -> Template?
    {
        guard let text = context.string(node, what) else { return nil }
        return compileTemplate(text, at: node, context: &context)
    }

    private mutating func compileTemplate(_ text: String, at node: YAMLNode, context: inout DecodingContext)
        -> Template?
    {
        do throws(PatternError) {
            let template = try TemplateParser.parse(text)
            var problems: [String] = []
            template.visit { piece in
                switch piece {
                case .topic(let name): topicReferences.append((name, node.location))
                case .set("topic", let value):
                    if case .text(let name)? = value.first, value.count == 1 {
                        topicReferences.append((name.trimmingSpaces(), node.location))
                    }
                case .arrayItem(let name) where arrays[name] == nil:
                    var message = "undefined array '@\(name)'"
                    if let near = Suggestion.closest(to: name, among: arrays.keys.sorted()) {
                        message += "; did you mean '@\(near)'?"
                    }
                    problems.append(message)
                case .ok where !inBegin:
                    problems.append("'{ok}' stands for the normal reply and is used only in 'begin:' rules")
                default: break
                }
            }
            for problem in problems {
                context.error(problem.hasPrefix("undefined array") ? "undefined-array" : "invalid-tag", at: node, problem)
            }
            return problems.isEmpty ? template : nil
        } catch {
            context.error(error.code, at: Self.location(of: node, offset: error.offset), error.message)
            return nil
        }
    }

    private mutating func readReplies(_ node: YAMLNode, _ what: String, context: inout DecodingContext)
        -> [WeightedTemplate]
    {
        let items = node.sequence ?? [node]
        if items.isEmpty { context.error("empty-value", at: node, "'\(what)' must list at least one reply") }
        var result: [WeightedTemplate] = []
        for item in items {
            if item.mapping != nil {
                guard var fields = MappingFields(item, what, context: &context) else { continue }
                let textNode = fields.required("text", in: "a weighted reply", context: &context)
                let weight = fields.int("weight", range: 1...1_000_000, context: &context) ?? 1
                fields.reportUnknownKeys(in: "weighted reply", known: ["text", "weight"], context: &context)
                if let textNode, let template = readTemplate(textNode, what, context: &context) {
                    result.append(WeightedTemplate(template, weight: weight))
                }
            } else if let template = readTemplate(item, what, context: &context) {
                result.append(WeightedTemplate(template))
            }
        }
        return result
    }

    private mutating func readCondition(_ node: YAMLNode, context: inout DecodingContext) -> ScriptCondition?
    {
        guard var fields = MappingFields(node, "condition", context: &context) else { return nil }
        let whenNode = fields.required("when", in: "a condition", context: &context)
        let replyNode = fields.required("reply", in: "a condition", context: &context)
        fields.reportUnknownKeys(in: "condition", known: ["when", "reply"], context: &context)
        guard let whenNode, let replyNode, let text = context.nonEmptyString(whenNode, "when") else {
            return nil
        }
        let replies = readReplies(replyNode, "reply", context: &context)
        guard let (leftText, comparison, rightText) = Self.splitCondition(text) else {
            context.error(
                "invalid-condition", at: whenNode,
                "condition '\(text)' needs a comparison: == != < > <= >= (or eq ne lt gt le ge) with spaces around it"
            )
            return nil
        }
        guard let left = compileTemplate(leftText, at: whenNode, context: &context),
            let right = compileTemplate(rightText, at: whenNode, context: &context)
        else { return nil }
        return ScriptCondition(
            source: text, left: left, comparison: comparison, right: right, replies: replies,
            location: SourceLocationBox(whenNode.location))
    }

    /// Splits `left op right` at the first operator (surrounded by spaces) outside braces.
    static func splitCondition(_ text: String) -> (String, ScriptCondition.Operator, String)? {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var depth = 0
        for (index, word) in words.enumerated() {
            if depth == 0, index > 0, index < words.count - 1 {
                if let op = ScriptCondition.Operator(rawValue: word) ?? ScriptCondition.Operator.aliases[word]
                {
                    return (
                        words[..<index].joined(separator: " "), op,
                        words[(index + 1)...].joined(separator: " ")
                    )
                }
            }
            for character in word {
                if character == "{" { depth += 1 } else if character == "}" { depth = max(0, depth - 1) }
            }
        }
        return nil
    }

    /// The location of character `offset` inside a scalar: exact for one-line plain and quoted
    /// scalars (escapes aside), the scalar's start otherwise.
    static func location(of node: YAMLNode, offset: Int) -> SourceLocation {
        var location = node.location
        guard let scalar = node.scalar, !scalar.text.contains("\n") else { return location }
        switch scalar.style {
        case .plain: location.column += offset
        case .singleQuoted, .doubleQuoted: location.column += offset + 1
        case .literal, .folded: break
        }
        return location
    }
}
