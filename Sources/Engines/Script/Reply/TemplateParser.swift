import Diagnostics

/// Compiles reply-template text into a ``Template``.
///
/// Tags are written in braces: `{star}`, `{get name|stranger}`, `{uppercase {star}}`, …
/// (the full list is ``knownTags``). `{{` and `}}` are literal braces. Anything else in braces
/// is an error naming the nearest known tag.
public enum TemplateParser {
    /// Every tag name, for did-you-mean suggestions.
    public static let knownTags: [String] = [
        "star", "botstar", "input", "reply", "get", "bot", "set", "add", "sub", "mult", "div", "topic",
        "@", "random", "uppercase", "lowercase", "sentence", "formal", "person", "id", "env", "ok",
    ]

    /// Compiles `text`, or throws the first error (with its character offset).
    public static func parse(_ text: String) throws(PatternError) -> Template {
        let characters = Array(text)
        return Template(source: text, nodes: try parseNodes(characters, 0..<characters.count))
    }

    private static func parseNodes(_ c: [Character], _ range: Range<Int>) throws(PatternError)
        -> [TemplateNode]
    {
        var nodes: [TemplateNode] = []
        var literal = ""
        var i = range.lowerBound
        func flush() {
            if !literal.isEmpty { nodes.append(.text(literal)) }
            literal = ""
        }
        while i < range.upperBound {
            let character = c[i]
            if character == "{" {
                if i + 1 < range.upperBound, c[i + 1] == "{" {
                    literal.append("{")
                    i += 2
                    continue
                }
                let close = try closingBrace(c, from: i, limit: range.upperBound)
                flush()
                nodes.append(try parseTag(c, (i + 1)..<close, open: i))
                i = close + 1
            } else if character == "}" {
                if i + 1 < range.upperBound, c[i + 1] == "}" {
                    literal.append("}")
                    i += 2
                    continue
                }
                throw PatternError(
                    offset: i, code: "unbalanced-brackets", "unbalanced '}'; write '}}' for a literal brace")
            } else {
                literal.append(character)
                i += 1
            }
        }
        flush()
        return nodes
    }

    /// The index of the `}` closing the tag opened at `open`.
    private static func closingBrace(_ c: [Character], from open: Int, limit: Int) throws(PatternError) -> Int
    {
        var depth = 0
        var i = open + 1
        while i < limit {
            if c[i] == "{" {
                if i + 1 < limit, c[i + 1] == "{" { i += 2; continue }
                depth += 1
            } else if c[i] == "}" {
                if depth == 0 { return i }
                depth -= 1
            }
            i += 1
        }
        throw PatternError(offset: open, code: "unbalanced-brackets", "unbalanced '{': no '}' closes it")
    }

    /// Splits `range` at `separator` characters not nested inside braces.
    private static func split(_ c: [Character], _ range: Range<Int>, on separator: Character) -> [Range<Int>]
    {
        var parts: [Range<Int>] = []
        var depth = 0
        var start = range.lowerBound
        for i in range {
            if c[i] == "{" {
                depth += 1
            } else if c[i] == "}" {
                depth -= 1
            } else if c[i] == separator, depth == 0 {
                parts.append(start..<i)
                start = i + 1
            }
        }
        parts.append(start..<range.upperBound)
        return parts
    }

    private static func trimmed(_ c: [Character], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, c[lower].isSpace { lower += 1 }
        while upper > lower, c[upper - 1].isSpace { upper -= 1 }
        return lower..<upper
    }

    private static func parseTag(_ c: [Character], _ inner: Range<Int>, open: Int) throws(PatternError)
        -> TemplateNode
    {
        var i = inner.lowerBound
        var name = ""
        if i < inner.upperBound, c[i] == "@" {
            name = "@"
            i += 1
        } else {
            while i < inner.upperBound, c[i].isLetter { name.append(c[i]); i += 1 }
        }
        var digits = ""
        while i < inner.upperBound, c[i].isASCII, c[i].isNumber { digits.append(c[i]); i += 1 }
        let argumentRange = trimmed(c, i..<inner.upperBound)
        let argument = String(c[argumentRange])
        let hasSeparator = i == inner.upperBound || c[i].isSpace
        let lowered = name.lowercased()

        guard TemplateParser.knownTags.contains(lowered), hasSeparator || !digits.isEmpty || lowered == "@"
        else {
            let written = String(c[inner]).split(whereSeparator: \.isSpace).first.map(String.init) ?? ""
            var message = "unknown tag '{\(written)}'"
            if let near = Suggestion.closest(to: name.isEmpty ? written : name, among: knownTags) {
                message += "; did you mean '{\(near)}'?"
            } else {
                message += "; write '{{' for a literal brace"
            }
            throw PatternError(offset: open, code: "unknown-tag", message)
        }
        let index = digits.isEmpty ? 1 : Int(digits) ?? 0

        func requireNoArgument() throws(PatternError) {
            if !argument.isEmpty {
                throw PatternError(offset: open, code: "invalid-tag", "'{\(lowered)}' takes no argument")
            }
        }
        func requireArgument(_ what: String) throws(PatternError) {
            if argument.isEmpty {
                throw PatternError(offset: open, code: "invalid-tag", "'{\(lowered)}' needs \(what)")
            }
        }
        func historyIndex(_ maximum: Int) throws(PatternError) -> Int {
            guard (1...maximum).contains(index) else {
                throw PatternError(
                    offset: open, code: "invalid-tag",
                    "'{\(lowered)\(digits)}': the number must be between 1 and \(maximum)")
            }
            return index
        }
        if !digits.isEmpty, !["star", "botstar", "input", "reply"].contains(lowered) {
            throw PatternError(offset: open, code: "invalid-tag", "'{\(lowered)}' takes no number")
        }

        switch lowered {
        case "star": try requireNoArgument(); return .star(try historyIndex(99))
        case "botstar": try requireNoArgument(); return .botstar(try historyIndex(99))
        case "input": try requireNoArgument(); return .input(try historyIndex(9))
        case "reply": try requireNoArgument(); return .reply(try historyIndex(9))
        case "id": try requireNoArgument(); return .id
        case "ok": try requireNoArgument(); return .ok
        case "get":
            try requireArgument("a variable name, as in {get name}")
            let parts = split(c, argumentRange, on: "|")
            let variable = String(c[trimmed(c, parts[0])])
            if parts.count > 1 {
                let fallbackRange = parts[1].lowerBound..<argumentRange.upperBound
                return .get(variable, default: try parseNodes(c, fallbackRange))
            }
            return .get(variable, default: nil)
        case "bot", "env":
            try requireArgument("a variable name, as in {\(lowered) name}")
            if let equals = c[argumentRange].firstIndex(of: "=") {
                let variable = String(c[trimmed(c, argumentRange.lowerBound..<equals)])
                guard !variable.isEmpty else {
                    throw PatternError(
                        offset: open, code: "invalid-tag", "'{\(lowered)}' needs a variable name before '='")
                }
                let value = try parseNodes(c, (equals + 1)..<argumentRange.upperBound)
                return lowered == "bot" ? .setBot(variable, value) : .setEnv(variable, value)
            }
            return lowered == "bot" ? .bot(argument) : .env(argument)
        case "topic":
            try requireArgument("a topic name, as in {topic random}")
            return .topic(argument)
        case "set", "add", "sub", "mult", "div":
            guard let equals = c[argumentRange].firstIndex(of: "=") else {
                throw PatternError(
                    offset: open, code: "invalid-tag",
                    "'{\(lowered)}' needs 'name=value', as in {\(lowered) \(lowered == "set" ? "name=value" : "count=1")}"
                )
            }
            let variable = String(c[trimmed(c, argumentRange.lowerBound..<equals)])
            guard !variable.isEmpty else {
                throw PatternError(
                    offset: open, code: "invalid-tag", "'{\(lowered)}' needs a variable name before '='")
            }
            let value = try parseNodes(c, (equals + 1)..<argumentRange.upperBound)
            if lowered == "set" { return .set(variable, value) }
            return .math(MathOperation(rawValue: lowered)!, variable, value)
        case "@":
            try requireArgument("the text to redirect to, as in {@ hello}")
            return .redirect(try parseNodes(c, argumentRange))
        case "random":
            try requireArgument("alternatives, as in {random a|b|c}")
            var alternatives: [[TemplateNode]] = []
            for part in split(c, argumentRange, on: "|") {
                let text = String(c[trimmed(c, part)])
                if text.count > 1, text.hasPrefix("@"), text.dropFirst().allSatisfy(PatternParser.isArrayNameCharacter) {
                    alternatives.append([.arrayItem(String(text.dropFirst()))])
                } else {
                    alternatives.append(try parseNodes(c, part))
                }
            }
            return .random(alternatives)
        default:
            let transform = TextTransform(rawValue: lowered)!
            try requireArgument("text, as in {\(lowered) {star}}")
            return .transform(transform, try parseNodes(c, argumentRange))
        }
    }
}
