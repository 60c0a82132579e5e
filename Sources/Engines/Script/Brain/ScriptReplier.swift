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
        case redirectLimit
    }

    private struct Scope {
        var captures: [String]
        var botCaptures: [String]
        var depth: Int
    }

    init(section: ScriptSection, state: ScriptSessionState, botName: String, tracing: Bool = false) {
        self.section = section
        self.state = state
        self.botName = botName
        self.trace = tracing ? [] : nil
    }

    /// The reply to `message`, or `nil` when the engine declines. Records the turn in history.
    mutating func reply(to message: String) -> String? {
        var text: String?
        do throws(Failure) {
            text = try answer(message, depth: 0)
        } catch {
            if error == .redirectLimit {
                record(.redirectLimit(depth: section.configuration.maxRedirectDepth))
            }
        }
        if text == nil {
            guard !section.fallback.isEmpty else {
                record(.declined)
                return nil
            }
            record(.fallback)
            let choice = section.fallback[state.random.pick(weights: section.fallback.map(\.weight))]
            text =
                (try? evaluate(choice.template.nodes, Scope(captures: [], botCaptures: [], depth: 0))) ?? ""
        }
        let reply = Self.tidy(text ?? "")
        state.remember(input: message, reply: reply)
        return reply
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
                maxSteps: section.configuration.maxMatchSteps)
        else {
            record(.noMatch(topic: state.topic))
            throw .noMatch
        }
        let rule = found.rule
        let trigger = rule.triggers[found.entry.triggerIndex]
        record(
            .matched(
                trigger: trigger.pattern.text, at: trigger.location.location, ruleTopic: rule.topic,
                level: found.entry.level, captures: found.captures))
        if let after = rule.after {
            record(.after(pattern: after.pattern.text, botCaptures: found.botCaptures))
        }
        let scope = Scope(captures: found.captures, botCaptures: found.botCaptures, depth: depth)

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
            guard !candidates.isEmpty else { throw .noMatch }
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
                if let value = state.variables[name] {
                    output += value
                } else if let fallback {
                    output += try evaluate(fallback, scope)
                } else {
                    output += "undefined"
                }
            case .bot(let name):
                output += section.variables[name] ?? (name == "name" ? botName : "undefined")
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
