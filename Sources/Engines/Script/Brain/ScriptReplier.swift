import Personality

/// Answers one message against a compiled script, mutating the session state, optionally
/// recording every step for `persona explain`.
///
/// Order of work for a message: normalise (substitutions, punctuation), look up the trigger in
/// the current topic (``ScriptBrain/firstMatch(topic:words:lastReply:maxSteps:)``), then either
/// follow the rule's redirect, or evaluate its conditions in order, or pick one of its replies by
/// weight; then apply `set:` and `topic:`. Template tags run left to right, so a `{set}` early in
/// a reply is visible to a `{get}` later in it. If nothing matches — or a redirect finds nothing,
/// or exceeds `max_redirect_depth` — the fallback answers; with no fallback the engine declines.
struct ScriptReplier {
    let section: ScriptSection
    let state: ScriptSessionState
    let botName: String
    var trace: [ScriptTraceStep]?

    private enum Failure: Error {
        case noMatch
        /// A rule matched but none of its conditions held and it has no plain reply.
        case noReply
        case redirectLimit
    }

    private struct Scope {
        var captures: [String]
        var botCaptures: [String]
        var depth: Int
        /// In a `begin:` rule: the message whose normal reply `{ok}` stands for.
        var okMessage: String?
    }

    init(section: ScriptSection, state: ScriptSessionState, botName: String, tracing: Bool = false) {
        self.section = section
        self.state = state
        self.botName = botName
        self.trace = tracing ? [] : nil
    }

    private var compat: Bool { section.compatibility == .rivescript }

    /// The reply to `message`, or `nil` when the engine declines. Records the turn in history.
    mutating func reply(to message: String) -> String? {
        let text: String?
        if section.begin.isEmpty {
            text = mainReply(to: message)
        } else {
            text = hookedReply(to: message)
        }
        guard let text else { return nil }
        let reply = Self.tidy(text)
        let input =
            compat ? section.normalizer.words(message).map(\.key).joined(separator: " ") : message
        state.remember(input: input, reply: reply)
        return reply
    }

    /// The reply without the `begin:` hook: the matching rule's, else the fallback; `nil` when
    /// the engine declines.
    private mutating func mainReply(to message: String) -> String? {
        do throws(Failure) {
            return try answer(message, depth: 0)
        } catch {
            switch error {
            case .redirectLimit:
                record(.redirectLimit(depth: section.configuration.maxRedirectDepth))
                if compat { return ScriptCompatibility.deepRecursion }
            case .noReply:
                if compat, section.fallback.isEmpty { return ScriptCompatibility.noReplyFound }
            case .noMatch:
                break
            }
        }
        guard !section.fallback.isEmpty else {
            if compat {
                record(.fallback)
                return ScriptCompatibility.noReplyMatched
            }
            record(.declined)
            return nil
        }
        record(.fallback)
        let choice = section.fallback[state.random.pick(weights: section.fallback.map(\.weight))]
        return (try? evaluate(choice.template.nodes, Scope(captures: [], botCaptures: [], depth: 0))) ?? ""
    }

    /// The `begin:` hook: its rule for `request` answers, with `{ok}` standing for the normal
    /// reply. When no hook rule matches, the message is answered normally.
    private mutating func hookedReply(to message: String) -> String? {
        let words = section.normalizer.words("request")
        record(.lookup(text: "request", normalized: "request", topic: ScriptTopic.beginName, depth: 0))
        guard
            let found = section.brain.firstMatch(
                topic: ScriptTopic.beginName, words: words, lastReply: { nil },
                maxSteps: section.configuration.maxMatchSteps, resolve: tagResolver)
        else { return mainReply(to: message) }
        okDeclined = false
        let output: String
        do throws(Failure) {
            output = try respond(
                found,
                Scope(captures: found.captures, botCaptures: [], depth: 0, okMessage: message))
        } catch {
            return mainReply(to: message)
        }
        if okDeclined, output.trimmingSpaces().isEmpty { return nil }
        return output
    }

    /// Set when `{ok}` stood for a message the engine declines.
    private var okDeclined = false

    /// Reads trigger tags at match time; `nil` when no trigger has any (the common case costs
    /// nothing).
    private var tagResolver: PatternMatcher.TagResolver? {
        guard section.brain.hasTags else { return nil }
        let section = section
        let state = state
        let botName = botName
        return { tag in
            let text: String?
            switch tag {
            case .bot(let name): text = Self.botVariable(name, section: section, state: state, botName: botName)
            case .get(let name): text = state.value(of: name, compatibility: section.compatibility)
            case .env(let name): text = state.globals[name] ?? section.globals[name]
            // Like RiveScript, a history not yet that long reads as the word "undefined".
            case .input(let n): text = n <= state.inputs.count ? state.inputs[n - 1] : "undefined"
            case .reply(let n): text = n <= state.replies.count ? state.replies[n - 1] : "undefined"
            }
            guard let text, text != "undefined" || tag.readsHistory else { return [] }
            return section.normalizer.words(text).map(\.key)
        }
    }

    static func botVariable(_ name: String, section: ScriptSection, state: ScriptSessionState, botName: String)
        -> String?
    {
        // Persona lends `{bot name}` the personality's name; RiveScript knows only `! var name`.
        state.botVariables[name] ?? section.variables[name]
            ?? (name == "name" && section.compatibility == .persona ? botName : nil)
    }

    /// Renders a template outside any rule (greetings, farewells).
    mutating func render(_ template: Template) -> String {
        Self.tidy((try? evaluate(template.nodes, Scope(captures: [], botCaptures: [], depth: 0))) ?? "")
    }

    private mutating func answer(_ message: String, depth: Int) throws(Failure) -> String {
        let normalizer = section.normalizer
        let words = normalizer.words(message)
        if section.topics[state.topic] == nil { state.topic = ScriptTopic.defaultName }
        record(
            .lookup(
                text: message, normalized: words.map(\.key).joined(separator: " "), topic: state.topic,
                depth: depth))
        let previous = state.replies.first
        guard
            let found = section.brain.firstMatch(
                topic: state.topic, words: words, lastReply: { previous.map { normalizer.words($0) } },
                maxSteps: section.configuration.maxMatchSteps, resolve: tagResolver)
        else {
            record(.noMatch(topic: state.topic))
            throw .noMatch
        }
        var captures = found.captures
        var botCaptures = found.botCaptures
        if compat {
            captures = captures.map(Self.normalized)
            botCaptures = botCaptures.map(Self.normalized)
        }
        return try respond(found, Scope(captures: captures, botCaptures: botCaptures, depth: depth))
    }

    /// A capture as RiveScript shows it: the normalised words (lowercase, no apostrophes).
    private static func normalized(_ text: String) -> String {
        WordSplitter.rawWords(text).map(WordSplitter.key).joined(separator: " ")
    }

    /// The reply of a matched rule: its redirect, its first condition that holds, or one of its
    /// replies; then its `set:` and `topic:`.
    private mutating func respond(_ found: ScriptBrain.Found, _ scope: Scope) throws(Failure) -> String {
        let rule = found.rule
        let trigger = rule.triggers[found.entry.triggerIndex]
        if rule.topic != ScriptTopic.beginName { state.lastMatch = trigger.pattern.text }
        record(
            .matched(
                trigger: trigger.pattern.text, at: trigger.location.location, ruleTopic: rule.topic,
                level: found.entry.level, captures: scope.captures))
        if let after = rule.after {
            record(.after(pattern: after.pattern.text, botCaptures: scope.botCaptures))
        }
        let depth = scope.depth

        var output: String
        if let redirect = rule.redirect {
            let target = try evaluate(redirect.nodes, scope)
            output = try follow(target, inline: false, from: depth)
        } else if !rule.conditions.isEmpty {
            var chosen: [WeightedTemplate]?
            for condition in rule.conditions {
                let left = try evaluate(condition.left.nodes, scope).trimmingSpaces()
                let right = try evaluate(condition.right.nodes, scope).trimmingSpaces()
                let held = Self.compare(left, condition.comparison, right)
                record(
                    .condition(
                        source: condition.source, at: condition.location.location, left: left, right: right,
                        held: held))
                if held {
                    chosen = condition.replies
                    break
                }
            }
            let candidates = chosen ?? rule.replies
            guard !candidates.isEmpty else { throw .noReply }
            output = try evaluate(pick(candidates).nodes, scope)
        } else {
            output = try evaluate(pick(rule.replies).nodes, scope)
        }
        for assignment in rule.assignments {
            let value = try evaluate(assignment.value.nodes, scope).trimmingSpaces()
            setVariable(assignment.name, value)
        }
        if let next = rule.nextTopic { switchTopic(to: next) }
        return output
    }

    private mutating func follow(_ target: String, inline: Bool, from depth: Int) throws(Failure) -> String {
        guard depth + 1 <= section.configuration.maxRedirectDepth else { throw .redirectLimit }
        record(.redirect(to: target, inline: inline, depth: depth + 1))
        return try answer(target, depth: depth + 1)
    }

    private mutating func pick(_ candidates: [WeightedTemplate]) -> Template {
        if candidates.count == 1 { return candidates[0].template }
        return candidates[state.random.pick(weights: candidates.map(\.weight))].template
    }

    private mutating func setVariable(_ name: String, _ value: String?) {
        if compat, name == "topic" {
            switchTopic(to: value ?? ScriptTopic.defaultName)
            return
        }
        if let value, value != "undefined" {
            state.variables[name] = value
        } else {
            state.variables[name] = nil
        }
        record(.set(name: name, value: state.variables[name]))
    }

    private mutating func switchTopic(to name: String) {
        let target = section.topics[name] == nil ? ScriptTopic.defaultName : name
        record(.topic(from: state.topic, to: target))
        state.topic = target
    }

    private mutating func record(_ step: ScriptTraceStep) {
        trace?.append(step)
    }

    private mutating func evaluate(_ nodes: [TemplateNode], _ scope: Scope) throws(Failure) -> String {
        var output = ""
        for node in nodes {
            switch node {
            case .text(let text): output += text
            case .star(let n): output += n <= scope.captures.count ? scope.captures[n - 1] : "undefined"
            case .botstar(let n):
                output += n <= scope.botCaptures.count ? scope.botCaptures[n - 1] : "undefined"
            case .input(let n): output += n <= state.inputs.count ? state.inputs[n - 1] : "undefined"
            case .reply(let n): output += n <= state.replies.count ? state.replies[n - 1] : "undefined"
            case .get(let name, let fallback):
                if let value = state.value(of: name, compatibility: section.compatibility) {
                    output += value
                } else if let fallback {
                    output += try evaluate(fallback, scope)
                } else {
                    output += "undefined"
                }
            case .bot(let name):
                output += Self.botVariable(name, section: section, state: state, botName: botName) ?? "undefined"
            case .setBot(let name, let value):
                let text = try evaluate(value, scope).trimmingSpaces()
                state.botVariables[name] = text == "undefined" ? nil : text
                record(.set(name: "bot " + name, value: state.botVariables[name]))
            case .env(let name):
                output += state.globals[name] ?? section.globals[name] ?? "undefined"
            case .setEnv(let name, let value):
                let text = try evaluate(value, scope).trimmingSpaces()
                state.globals[name] = text == "undefined" ? nil : text
                record(.set(name: "env " + name, value: state.globals[name]))
            case .arrayItem(let name):
                let items = PatternParser.expand(name, arrays: section.arrays)
                if !items.isEmpty { output += items[Int.random(in: 0..<items.count, using: &state.random)] }
            case .ok:
                if let message = scope.okMessage {
                    if let normal = mainReply(to: message) { output += normal } else { okDeclined = true }
                }
            case .set(let name, let value):
                setVariable(name, try evaluate(value, scope).trimmingSpaces())
            case .math(let operation, let name, let value):
                let operand = try evaluate(value, scope).trimmingSpaces()
                if let result = Self.arithmetic(operation, state.variables[name] ?? "0", operand) {
                    setVariable(name, result)
                }
            case .topic(let name): switchTopic(to: name)
            case .redirect(let target):
                let text = try evaluate(target, scope).trimmingSpaces()
                output += try follow(text, inline: true, from: scope.depth)
            case .random(let alternatives):
                let index = Int.random(in: 0..<alternatives.count, using: &state.random)
                output += try evaluate(alternatives[index], scope)
            case .transform(let transform, let inner):
                output += apply(transform, try evaluate(inner, scope))
            case .id: output += state.sessionID
            }
        }
        return output
    }

    private func apply(_ transform: TextTransform, _ text: String) -> String {
        switch transform {
        case .uppercase: return text.uppercased()
        case .lowercase: return text.lowercased()
        case .sentence:
            let lowered = text.lowercased()
            guard let first = lowered.firstIndex(where: \.isLetter) else { return lowered }
            return lowered[..<first] + lowered[first].uppercased() + lowered[lowered.index(after: first)...]
        case .formal:
            return text.split(separator: " ", omittingEmptySubsequences: false).map { word in
                guard let first = word.first else { return "" }
                return first.uppercased() + word.dropFirst().lowercased()
            }.joined(separator: " ")
        case .person: return section.person.apply(toText: text)
        }
    }

    /// Compares two condition sides: numerically when both are numbers, otherwise as text
    /// (only `==` and `!=` are meaningful for text; ordering text never holds).
    static func compare(_ left: String, _ comparison: ScriptCondition.Operator, _ right: String) -> Bool {
        if let l = Double(left), let r = Double(right) {
            switch comparison {
            case .equal: return l == r
            case .notEqual: return l != r
            case .less: return l < r
            case .greater: return l > r
            case .lessOrEqual: return l <= r
            case .greaterOrEqual: return l >= r
            }
        }
        switch comparison {
        case .equal: return left == right
        case .notEqual: return left != right
        default: return false
        }
    }

    /// `{add}`, `{sub}`, `{mult}`, `{div}`; `nil` (variable unchanged) when either side is not a
    /// number or on division by zero.
    static func arithmetic(_ operation: MathOperation, _ current: String, _ operand: String) -> String? {
        guard let a = Double(current), let b = Double(operand) else { return nil }
        let result: Double
        switch operation {
        case .add: result = a + b
        case .sub: result = a - b
        case .mult: result = a * b
        case .div:
            guard b != 0 else { return nil }
            result = a / b
        }
        guard result.isFinite else { return nil }
        if result == result.rounded(), abs(result) < 1e15 { return String(Int(result)) }
        return String(result)
    }

    /// Trims the reply and collapses the double spaces left by tags that output nothing.
    static func tidy(_ text: String) -> String {
        var result = ""
        var lastWasSpace = false
        for character in text.trimmingSpaces() {
            if character == " " {
                if lastWasSpace { continue }
                lastWasSpace = true
            } else {
                lastWasSpace = false
            }
            result.append(character)
        }
        return result
    }
}

extension String {
    /// Without leading and trailing whitespace.
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
