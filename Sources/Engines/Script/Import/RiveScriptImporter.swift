import Diagnostics

/// Converts RiveScript 2.0 documents (`.rive`) into a personality file in the `script:`
/// format, so existing bots move over without hand-editing.
///
/// Covered: `! sub`, `! person`, `! var`, `! array`, `! version`, `! local concat`; `+` triggers
/// (with `{weight=N}`), `-` replies (with `{weight=N}`), `%` previous, `*` conditions, `@`
/// redirects, `^` continuations; `> topic name includes … inherits …` / `< topic`; reply tags
/// `<star>`, `<botstar>`, `<input>`, `<reply>`, `<get>`, `<set>`, `<bot>`, `<add>`/`<sub>`/
/// `<mult>`/`<div>`, `<id>`, `<@>`, `{@ …}`, `{topic=…}`, `{random}…{/random}`, the
/// transforms (`{uppercase}…{/uppercase}`, `<person>`, …) and `{ok}`.
///
/// Not expressible, reported as warnings with file:line and never dropped silently: object
/// macros (`> object` blocks, `<call>`), the `> begin` block, `! global`, `<env>`, `<bot x=y>`,
/// `{!…}` inline definitions, and tags in triggers.
public struct RiveScriptImporter: Sendable {
    /// One input file: a display name (for ids and warnings) and its text.
    public struct Source: Sendable {
        /// As shown in warnings.
        public var name: String
        /// The document.
        public var text: String

        /// Creates a source.
        public init(name: String, text: String) {
            self.name = name
            self.text = text
        }
    }

    /// The result: the personality document, and every warning.
    public struct Output: Sendable {
        /// The personality as a YAML value (``YAMLValue/document()`` gives the text).
        public var personality: YAMLValue
        /// What could not be imported, with file:line.
        public var warnings: [Diagnostic]
        /// The document text, with a header comment.
        public var text: String {
            "# Imported from RiveScript by `persona import rivescript`.\n" + personality.document()
        }
    }

    private struct Rule {
        var triggers: [String] = []
        var weight = 0
        var previous: String?
        var replies: [(String, Int)] = []
        var conditions: [(String, String)] = []
        var redirect: String?
    }

    private struct Topic {
        var includes: [String] = []
        var inherits: [String] = []
        var rules: [Rule] = []
    }

    /// Creates an importer.
    public init() {}

    /// Imports `sources` as one personality (RiveScript loads a folder of files into one bot);
    /// `id` defaults to the first file's name.
    public func convert(_ sources: [Source], id: String? = nil) -> Output {
        var warnings: [Diagnostic] = []
        var substitutions: [(String, YAMLValue)] = []
        var person: [(String, YAMLValue)] = []
        var arrays: [(String, YAMLValue)] = []
        var variables: [(String, YAMLValue)] = []
        var topicOrder: [String] = ["random"]
        var topics: [String: Topic] = ["random": Topic()]

        for source in sources {
            var topic = "random"
            var rule: Rule?
            var concat = ""
            var skipping: String?
            var inBlockComment = false
            func flush() {
                if let finished = rule { topics[topic, default: Topic()].rules.append(finished) }
                rule = nil
            }
            func warn(_ line: Int, _ message: String) {
                warnings.append(
                    .warning(
                        "rivescript-import", at: SourceLocation(file: source.name, line: line, column: 1),
                        message))
            }

            for (lineNumber, command, data) in Self.commands(
                source.text, concat: &concat, inBlockComment: &inBlockComment)
            {
                let location = SourceLocation(file: source.name, line: lineNumber, column: 1)
                if let block = skipping {
                    if command == "<", data.hasPrefix(block) { skipping = nil }
                    continue
                }
                var converter = RiveScriptTemplateConverter(location: location)
                switch command {
                case "!":
                    let (kind, name, value) = Self.definition(data)
                    switch kind {
                    case "version": break
                    case "local":
                        if name == "concat" {
                            concat = value == "space" ? " " : value == "newline" ? "\n" : ""
                        }
                    case "sub": substitutions.append((name, .string(value)))
                    case "person": person.append((name, .string(value)))
                    case "var": variables.append((name, .string(value)))
                    case "array":
                        let items =
                            value.contains("|")
                            ? value.split(separator: "|").map { $0.trimmingCharacters() }
                            : value.split(separator: " ").map(String.init)
                        arrays.append((name, .list(items.map { .string($0) })))
                    case "global":
                        warn(
                            lineNumber, "'! global \(name)' has no equivalent in the script format — dropped")
                    default: warn(lineNumber, "unknown definition '! \(kind)' — dropped")
                    }
                case ">":
                    flush()
                    let words = data.split(separator: " ").map(String.init)
                    switch words.first {
                    case "topic":
                        topic = words.count > 1 ? words[1] : "random"
                        if !topicOrder.contains(topic) { topicOrder.append(topic) }
                        var mode = ""
                        for word in words.dropFirst(2) {
                            if word == "includes" || word == "inherits" { mode = word; continue }
                            if mode == "includes" { topics[topic, default: Topic()].includes.append(word) }
                            if mode == "inherits" { topics[topic, default: Topic()].inherits.append(word) }
                        }
                        if topics[topic] == nil { topics[topic] = Topic() }
                    case "begin":
                        warn(
                            lineNumber,
                            "the '> begin' block (request/response processing) cannot be imported — skipped to '< begin'"
                        )
                        skipping = "begin"
                    case "object":
                        warn(
                            lineNumber,
                            "object macro '\(words.dropFirst().first ?? "")' cannot be imported — skipped to '< object'"
                        )
                        skipping = "object"
                    default:
                        warn(lineNumber, "unknown label '> \(data)' — skipped")
                        skipping = words.first ?? ""
                    }
                case "<":
                    flush()
                    topic = "random"
                case "+":
                    flush()
                    var trigger = data
                    var weight = 0
                    if let range = trigger.firstRange(of: "{weight="),
                        let close = trigger[range.upperBound...].firstIndex(of: "}")
                    {
                        weight = Int(trigger[range.upperBound..<close]) ?? 0
                        trigger.removeSubrange(range.lowerBound...close)
                        trigger = trigger.trimmingCharacters()
                    }
                    if trigger.contains("<") {
                        warn(
                            lineNumber,
                            "tags in trigger '\(data)' (<bot>, <get>, <input>, <reply>) cannot be imported — the trigger is kept without them"
                        )
                        trigger = Self.removingAngleTags(trigger)
                    }
                    rule = Rule(triggers: [trigger], weight: weight)
                case "%":
                    if rule == nil { warn(lineNumber, "'%' without a '+' before it — dropped") }
                    rule?.previous = data
                case "-":
                    guard rule != nil else {
                        warn(lineNumber, "'-' without a '+' before it — dropped"); continue
                    }
                    let text = converter.convert(data)
                    rule?.replies.append((text, max(1, converter.weight ?? 1)))
                case "*":
                    guard rule != nil else {
                        warn(lineNumber, "'*' without a '+' before it — dropped"); continue
                    }
                    guard let arrow = data.firstRange(of: "=>") else {
                        warn(lineNumber, "condition '\(data)' has no '=>' — dropped")
                        continue
                    }
                    let when = converter.convert(String(data[..<arrow.lowerBound]).trimmingCharacters())
                    let reply = converter.convert(String(data[arrow.upperBound...]).trimmingCharacters())
                    rule?.conditions.append((when, reply))
                case "@":
                    guard rule != nil else {
                        warn(lineNumber, "'@' without a '+' before it — dropped"); continue
                    }
                    rule?.redirect = converter.convert(data)
                default:
                    warn(lineNumber, "unknown command '\(command)' — dropped")
                }
                warnings.append(contentsOf: converter.warnings)
            }
            flush()
        }

        let stem = sources.first.map { Self.stem($0.name) } ?? "imported"
        let personalityID = id ?? Self.slug(stem)
        var script: [(String, YAMLValue)] = []
        if !substitutions.isEmpty { script.append(("substitutions", .map(substitutions))) }
        if !person.isEmpty { script.append(("person", .map(person))) }
        if !arrays.isEmpty { script.append(("arrays", .map(arrays))) }
        if !variables.isEmpty { script.append(("variables", .map(variables))) }
        script.append(("rules", .list((topics["random"]?.rules ?? []).map(Self.ruleValue))))
        var topicValues: [(String, YAMLValue)] = []
        for name in topicOrder where name != "random" {
            let topic = topics[name] ?? Topic()
            var fields: [(String, YAMLValue)] = []
            if !topic.includes.isEmpty {
                fields.append(("includes", .list(topic.includes.map { .string($0) })))
            }
            if !topic.inherits.isEmpty {
                fields.append(("inherits", .list(topic.inherits.map { .string($0) })))
            }
            fields.append(("rules", .list(topic.rules.map(Self.ruleValue))))
            topicValues.append((name, .map(fields)))
        }
        if !topicValues.isEmpty { script.append(("topics", .map(topicValues))) }
        let files = sources.map(\.name).joined(separator: ", ")
        let personality = YAMLValue.map([
            ("id", .string(personalityID)),
            ("name", .string(Self.title(stem))),
            ("description", .string("Imported from RiveScript (\(files)).")),
            ("engine", .string("script")),
            ("script", .map(script)),
        ])
        return Output(personality: personality, warnings: warnings)
    }

    private static func ruleValue(_ rule: Rule) -> YAMLValue {
        var fields: [(String, YAMLValue)] = [
            (
                "match",
                rule.triggers.count == 1
                    ? .string(rule.triggers[0]) : .list(rule.triggers.map { .string($0) })
            )
        ]
        if rule.weight != 0 { fields.append(("weight", .int(rule.weight))) }
        if let previous = rule.previous { fields.append(("after", .string(previous))) }
        if !rule.conditions.isEmpty {
            fields.append(
                (
                    "conditions",
                    .list(rule.conditions.map { .map([("when", .string($0.0)), ("reply", .string($0.1))]) })
                ))
        }
        if let redirect = rule.redirect {
            fields.append(("redirect", .string(redirect)))
        } else if rule.replies.count == 1, rule.replies[0].1 == 1 {
            fields.append(("reply", .string(rule.replies[0].0)))
        } else if !rule.replies.isEmpty {
            fields.append(
                (
                    "reply",
                    .list(
                        rule.replies.map {
                            $0.1 == 1
                                ? .string($0.0) : .map([("text", .string($0.0)), ("weight", .int($0.1))])
                        })
                ))
        } else if rule.conditions.isEmpty {
            fields.append(("reply", .string("")))
        }
        return .map(fields)
    }

    /// Lines as (line number, command character, data), with `^` continuations joined and
    /// comments removed.
    private static func commands(_ text: String, concat: inout String, inBlockComment: inout Bool) -> [(
        Int, Character, String
    )] {
        var result: [(Int, Character, String)] = []
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated()
        {
            var line = rawLine.trimmingCharacters()
            if inBlockComment {
                if line.contains("*/") { inBlockComment = false }
                continue
            }
            if line.hasPrefix("/*") {
                if !line.contains("*/") { inBlockComment = true }
                continue
            }
            if line.isEmpty || line.hasPrefix("//") { continue }
            if let comment = line.firstRange(of: " // ") {
                line = String(line[..<comment.lowerBound]).trimmingCharacters()
            }
            guard let command = line.first else { continue }
            let data = String(line.dropFirst()).trimmingCharacters()
            if command == "^", !result.isEmpty {
                result[result.count - 1].2 += concat + data
                continue
            }
            if command == "!", data.hasPrefix("local concat") {
                let value = data.split(separator: "=").last.map { $0.trimmingCharacters() } ?? ""
                concat = value == "space" ? " " : value == "newline" ? "\n" : ""
            }
            result.append((index + 1, command, data))
        }
        return result
    }

    /// `type name = value` of a `!` line.
    private static func definition(_ data: String) -> (String, String, String) {
        let parts = data.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters() }
        let head = (parts.first ?? "").split(separator: " ", maxSplits: 1).map(String.init)
        return (
            head.first ?? "", head.count > 1 ? head[1].trimmingCharacters() : "",
            parts.count > 1 ? parts[1] : ""
        )
    }

    private static func removingAngleTags(_ text: String) -> String {
        var out = ""
        var depth = 0
        for character in text {
            if character == "<" { depth += 1; continue }
            if character == ">", depth > 0 { depth -= 1; continue }
            if depth == 0 { out.append(character) }
        }
        return out.split(separator: " ").joined(separator: " ")
    }

    private static func stem(_ name: String) -> String {
        let file = name.split(separator: "/").last.map(String.init) ?? name
        return file.hasSuffix(".rive") ? String(file.dropLast(5)) : file
    }

    /// A valid personality id from a file name: lowercase, `[a-z0-9-]`, starting with a letter.
    static func slug(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty, out.last != "-" {
                out.append("-")
            }
        }
        while out.last == "-" { out.removeLast() }
        while let first = out.first, !first.isLetter { out.removeFirst() }
        return out.isEmpty ? "imported" : String(out.prefix(64))
    }

    private static func title(_ stem: String) -> String {
        stem.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == " " }).map {
            $0.prefix(1).uppercased() + $0.dropFirst()
        }.joined(separator: " ")
    }
}
