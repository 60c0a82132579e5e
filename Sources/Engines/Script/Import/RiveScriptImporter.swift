import Diagnostics

/// Converts RiveScript 2.0 documents (`.rive`) into a personality file in the `script:`
/// format, so existing bots move over without hand-editing. The personality says
/// `compat: rivescript`, so it answers as RiveScript does where Persona differs by default.
///
/// Covered: `! sub`, `! person`, `! var`, `! global` (`depth` becomes `max_redirect_depth`),
/// `! array` (with `^` continuations, each line split on `|` or spaces, `\s` for a space, and
/// arrays naming other arrays), `! version`, `! local concat`; a definition given again
/// replaces the earlier one and `<undef>` removes it; `+` triggers (with `{weight=N}` and the
/// match-time tags `<bot>`, `<get>`, `<env>`, `<input>`, `<reply>`), `-` replies (with
/// `{weight=N}`), `%` previous, `*` conditions, `@` redirects, `^` continuations;
/// `> begin` (the `begin:` hook, `{ok}`); `> topic name includes … inherits …` / `< topic`;
/// reply tags `<star>`, `<botstar>`, `<input>`, `<reply>`, `<get>`, `<set>` (`<set topic=…>`
/// switches the topic), `<bot>` and `<env>` (reading and setting), `<add>`/`<sub>`/`<mult>`/
/// `<div>`, `<id>`, `<@>`, `{@ …}`, `{topic=…}`, `{random}…{/random}`, `(@array)`, the
/// transforms (`{uppercase}…{/uppercase}`, `<person>`, …) and `{ok}`.
///
/// An array used but never defined is imported empty, with a warning (RiveScript ignores it).
/// Not expressible, reported as errors with file:line and never dropped silently: object
/// macros (`> object` blocks, `<call>`), `{!…}` inline definitions, and tags a trigger cannot
/// match.
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

    /// What was imported, for the summary line.
    public struct Summary: Hashable, Sendable {
        /// Rules (one per `+`), the begin hook's included.
        public var rules = 0
        /// Arrays, the empty ones made for undefined references included.
        public var arrays = 0
        /// Substitutions (`! sub`) and person substitutions (`! person`).
        public var substitutions = 0
        /// Topics besides `random`.
        public var topics = 0
        /// `name — why` for each thing that could not be carried.
        public var dropped: [String] = []

        /// `imported 12 rules, 2 arrays, 3 substitutions, 1 topic; dropped 1: …`.
        public var line: String {
            func counted(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
            var text =
                "imported \(counted(rules, "rule")), \(counted(arrays, "array")), \(counted(substitutions, "substitution")), \(counted(topics, "topic"))"
            text += dropped.isEmpty ? "; nothing dropped" : "; dropped \(dropped.count): " + dropped.joined(separator: "; ")
            return text
        }
    }

    /// The result: the personality document, and every warning.
    public struct Output: Sendable {
        /// The personality as a YAML value (``YAMLValue/document()`` gives the text).
        public var personality: YAMLValue
        /// What could not be imported (errors) or was imported with a caveat (warnings), with
        /// file:line.
        public var warnings: [Diagnostic]
        /// The counts and what was dropped.
        public var summary = Summary()
        /// True when something could not be carried over (the command exits 1).
        public var droppedSomething: Bool { warnings.contains { $0.severity == .error } }
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
        var substitutions = Definitions()
        var person = Definitions()
        var arrays = Definitions()
        var variables = Definitions()
        var globals = Definitions()
        var arrayUses: [(String, SourceLocation)] = []
        var topicOrder: [String] = ["random"]
        var topics: [String: Topic] = ["random": Topic()]
        var begin = Topic()

        for source in sources {
            var topic = "random"
            var inBegin = false
            var rule: Rule?
            var concat = ""
            var skipping: String?
            var inBlockComment = false
            func flush() {
                if let finished = rule {
                    if inBegin { begin.rules.append(finished) } else { topics[topic, default: Topic()].rules.append(finished) }
                }
                rule = nil
            }
            func warn(_ line: Int, _ message: String) {
                warnings.append(
                    .warning(
                        "rivescript-import", at: SourceLocation(file: source.name, line: line, column: 1),
                        message))
            }
            func drop(_ line: Int, _ message: String) {
                warnings.append(
                    .error(
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
                converter.inBegin = inBegin
                switch command {
                case "!":
                    let (kind, name, rawValue) = Self.definition(data)
                    let undefine = rawValue.trimmingCharacters() == "<undef>"
                    // Continuation lines of a definition are joined without a separator, except
                    // in arrays, where each line is split on its own.
                    let value = String(rawValue.filter { $0 != Self.lineBreak })
                    switch kind {
                    case "version", "local": break
                    case "sub": substitutions.define(name, undefine ? nil : .string(value))
                    case "person": person.define(name, undefine ? nil : .string(value))
                    case "var": variables.define(name, undefine ? nil : .string(value))
                    case "global": globals.define(name, undefine ? nil : .string(value))
                    case "array":
                        arrays.define(name, undefine ? nil : .list(Self.arrayItems(rawValue).map { .string($0) }))
                    default: warn(lineNumber, "unknown definition '! \(kind)' — ignored")
                    }
                case ">":
                    flush()
                    let words = data.split(separator: " ").map(String.init)
                    switch words.first {
                    case "topic":
                        inBegin = false
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
                        inBegin = true
                    case "object":
                        drop(
                            lineNumber,
                            "object macro '\(words.dropFirst().first ?? "")' cannot be imported — skipped to '< object'"
                        )
                        skipping = "object"
                    default:
                        drop(lineNumber, "unknown label '> \(data)' — skipped")
                        skipping = words.first ?? ""
                    }
                case "<":
                    flush()
                    topic = "random"
                    inBegin = false
                case "+":
                    flush()
                    var trigger = data
                    var weight = 0
                    if let range = trigger.firstRange(of: "{weight="),
                        let close = trigger[range.upperBound...].firstIndex(of: "}")
                    {
                        weight = Int(trigger[range.upperBound..<close].filter { !$0.isWhitespace }) ?? 0
                        trigger.removeSubrange(range.lowerBound...close)
                        trigger = trigger.trimmingCharacters()
                    }
                    rule = Rule(triggers: [converter.convertTrigger(trigger)], weight: weight)
                case "%":
                    if rule == nil { warn(lineNumber, "'%' without a '+' before it — ignored") }
                    rule?.previous = converter.convertTrigger(data)
                case "-":
                    guard rule != nil else {
                        warn(lineNumber, "'-' without a '+' before it — ignored"); continue
                    }
                    let text = converter.convert(data)
                    rule?.replies.append((text, max(1, converter.weight ?? 1)))
                case "*":
                    guard rule != nil else {
                        warn(lineNumber, "'*' without a '+' before it — ignored"); continue
                    }
                    guard let arrow = data.firstRange(of: "=>") else {
                        drop(lineNumber, "condition '\(data)' has no '=>' — dropped")
                        continue
                    }
                    let when = converter.convert(String(data[..<arrow.lowerBound]).trimmingCharacters())
                    let reply = converter.convert(String(data[arrow.upperBound...]).trimmingCharacters())
                    rule?.conditions.append((when, reply))
                case "@":
                    guard rule != nil else {
                        warn(lineNumber, "'@' without a '+' before it — ignored"); continue
                    }
                    rule?.redirect = converter.convert(data)
                default:
                    drop(lineNumber, "unknown command '\(command)' — dropped")
                }
                warnings.append(contentsOf: converter.warnings)
                for name in converter.arrayReferences { arrayUses.append((name, location)) }
            }
            flush()
        }

        // Arrays used but never defined: RiveScript ignores them; here they become empty.
        for (name, location) in arrayUses where !arrays.contains(name) {
            arrays.define(name, .list([]))
            warnings.append(
                .warning(
                    "rivescript-import", at: location,
                    "array '@\(name)' is not defined — imported as an empty array, which matches nothing"))
        }
        for value in arrays.pairs.map(\.1) {
            guard case .list(let items) = value else { continue }
            for case .string(let item) in items where item.hasPrefix("@") {
                let name = String(item.dropFirst())
                if !arrays.contains(name) { arrays.define(name, .list([])) }
            }
        }

        let stem = sources.first.map { Self.stem($0.name) } ?? "imported"
        let personalityID = id ?? Self.slug(stem)
        var script: [(String, YAMLValue)] = [("compat", .string("rivescript"))]
        var depth = 50  // RiveScript's default recursion depth
        if let value = globals.value("depth"), case .string(let text) = value, let number = Int(text) {
            depth = min(max(number, 0), 1_000)
        }
        script.append(("max_redirect_depth", .int(depth)))
        if !substitutions.pairs.isEmpty { script.append(("substitutions", .map(substitutions.pairs))) }
        if !person.pairs.isEmpty { script.append(("person", .map(person.pairs))) }
        if !arrays.pairs.isEmpty { script.append(("arrays", .map(arrays.pairs))) }
        if !variables.pairs.isEmpty { script.append(("variables", .map(variables.pairs))) }
        if !globals.pairs.isEmpty { script.append(("globals", .map(globals.pairs))) }
        if !begin.rules.isEmpty { script.append(("begin", .list(begin.rules.map(Self.ruleValue)))) }
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
        var output = Output(personality: personality, warnings: warnings)
        output.summary.rules = topics.values.map(\.rules.count).reduce(0, +) + begin.rules.count
        output.summary.arrays = arrays.pairs.count
        output.summary.substitutions = substitutions.pairs.count + person.pairs.count
        output.summary.topics = topicValues.count
        output.summary.dropped = warnings.filter { $0.severity == .error }.map {
            "\($0.location.map { "\($0.file):\($0.line)" } ?? "?") \($0.message)"
        }
        return output
    }

    /// Items of an `! array` value: each line (continuations included) split on `|` when it
    /// has one, otherwise on spaces; `\s` stands for a space inside an item.
    static func arrayItems(_ value: String) -> [String] {
        var items: [String] = []
        for line in value.split(separator: lineBreak, omittingEmptySubsequences: false) {
            let pieces = line.contains("|") ? line.split(separator: "|") : line.split(separator: " ")
            for piece in pieces {
                let item = piece.trimmingCharacters().replacing("\\s", with: " ")
                if !item.isEmpty { items.append(item) }
            }
        }
        return items
    }

    /// Joins a definition's continuation lines until the definition is read.
    static let lineBreak: Character = "\u{1}"

    /// Definitions by name, in the order first given; a later definition replaces the value,
    /// `<undef>` (a `nil` value) removes it.
    private struct Definitions {
        private(set) var pairs: [(String, YAMLValue)] = []

        mutating func define(_ name: String, _ value: YAMLValue?) {
            let index = pairs.firstIndex { $0.0 == name }
            switch (index, value) {
            case (let index?, let value?): pairs[index].1 = value
            case (let index?, nil): pairs.remove(at: index)
            case (nil, let value?): pairs.append((name, value))
            case (nil, nil): break
            }
        }

        func contains(_ name: String) -> Bool { pairs.contains { $0.0 == name } }
        func value(_ name: String) -> YAMLValue? { pairs.first { $0.0 == name }?.1 }
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
                result[result.count - 1].2 += (result[result.count - 1].1 == "!" ? String(lineBreak) : concat) + data
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
