import Diagnostics

/// Rewrites RiveScript reply text (`<star>`, `<get x>`, `{random}…{/random}`, …) into the
/// brace templates of the `script:` format, reporting what has no equivalent.
struct RiveScriptTemplateConverter {
    /// Where the text is, for warnings.
    var location: SourceLocation
    /// Problems found (object macro calls, unknown tags).
    var warnings: [Diagnostic] = []
    /// A `{weight=N}` found in the text (replies only).
    var weight: Int?
    /// True inside `> begin`, where `{ok}` is kept.
    var inBegin = false
    /// Arrays the text refers to (`(@name)`), to check they are defined.
    var arrayReferences: [String] = []

    private static let angleTags = [
        "star", "botstar", "input", "reply", "get", "set", "bot", "env", "add", "sub", "mult", "div", "id",
        "person",
        "formal", "sentence", "uppercase", "lowercase", "@", "call",
    ]
    private static let braceTransforms = ["random", "person", "formal", "sentence", "uppercase", "lowercase"]

    mutating func convert(_ text: String) -> String {
        convert(Array(text), 0, text.count)
    }

    private mutating func warn(_ message: String) {
        warnings.append(.warning("rivescript-import", at: location, message))
    }

    /// Something the script format cannot carry: an error, so the import exits non-zero.
    private mutating func drop(_ message: String) {
        warnings.append(.error("rivescript-import", at: location, message))
    }

    /// A trigger (`+`, `%`): `<bot x>`, `<get x>`, `<env x>`, `<input N>`, `<reply N>` become the
    /// pattern language's match-time tags; `{weight}` is removed by the caller. Other tags
    /// cannot be matched and are reported.
    mutating func convertTrigger(_ text: String) -> String {
        var out = ""
        let c = Array(text)
        var i = 0
        while i < c.count {
            if c[i] == "<", let close = c[i...].firstIndex(of: ">") {
                let inner = String(c[(i + 1)..<close]).trimmingCharacters()
                let parts = inner.split(separator: " ", maxSplits: 1).map(String.init)
                let name = parts.first ?? ""
                if parts.count == 2, ["bot", "get", "env"].contains(name) {
                    out += "{\(name) \(parts[1].trimmingCharacters())}"
                } else if parts.count == 1, let tag = ["input", "reply"].first(where: { name.hasPrefix($0) }),
                    name.dropFirst(tag.count).allSatisfy(\.isNumber)
                {
                    let digits = name.dropFirst(tag.count)
                    out += "{\(tag)\(digits.isEmpty ? "1" : digits)}"
                } else {
                    drop("the tag '<\(inner)>' cannot be matched in a trigger — removed from '\(text)'")
                }
                i = close + 1
                continue
            }
            if c[i] == "@" {
                let name = String(c[(i + 1)...].prefix(while: PatternParser.isArrayNameCharacter))
                if !name.isEmpty { arrayReferences.append(name) }
            }
            out.append(c[i])
            i += 1
        }
        return out.split(separator: " ").joined(separator: " ")
    }

    private mutating func convert(_ c: [Character], _ start: Int, _ end: Int) -> String {
        var out = ""
        var i = start
        while i < end {
            let character = c[i]
            if character == "\\", i + 1 < end {
                switch c[i + 1] {
                case "s": out += " "
                case "n": out += "\n"
                case "{": out += "{{"
                case "}": out += "}}"
                default: out.append(c[i + 1])
                }
                i += 2
                continue
            }
            if character == "<", i + 1 < end, c[i + 1].isLetter || c[i + 1] == "@" || c[i + 1] == "/",
                let close = matchingClose(c, from: i, end: end, open: "<", close: ">")
            {
                let inner = String(c[(i + 1)..<close])
                let name = String(inner.prefix { $0.isLetter || $0 == "@" })
                if Self.angleTags.contains(name.lowercased()) {
                    out += angleTag(c, i + 1, close, name: name.lowercased())
                    if name.lowercased() == "call", let endCall = find(c, "</call>", from: close, end: end) {
                        i = endCall + "</call>".count
                    } else {
                        i = close + 1
                    }
                    continue
                }
            }
            if character == "(", i + 1 < end, c[i + 1] == "@",
                let close = matchingClose(c, from: i, end: end, open: "(", close: ")")
            {
                let name = String(c[(i + 2)..<close])
                if !name.isEmpty, name.allSatisfy(PatternParser.isArrayNameCharacter) {
                    arrayReferences.append(name)
                    out += "{random @\(name)}"
                    i = close + 1
                    continue
                }
            }
            if character == "{" {
                if let close = matchingClose(c, from: i, end: end, open: "{", close: "}") {
                    let inner = String(c[(i + 1)..<close])
                    if let converted = braceTag(inner, c, tagEnd: close, end: end, next: &i) {
                        out += converted
                        continue
                    }
                }
                out += "{{"
                i += 1
                continue
            }
            if character == "}" {
                out += "}}"
                i += 1
                continue
            }
            out.append(character)
            i += 1
        }
        return out
    }

    private func matchingClose(
        _ c: [Character], from open: Int, end: Int, open o: Character, close: Character
    ) -> Int? {
        var depth = 0
        var i = open
        while i < end {
            if c[i] == o {
                depth += 1
            } else if c[i] == close {
                depth -= 1
                if depth == 0 { return i }
            }
            i += 1
        }
        return nil
    }

    private func find(_ c: [Character], _ needle: String, from: Int, end: Int) -> Int? {
        let n = Array(needle)
        guard n.count <= end - from else { return nil }
        var i = from
        while i + n.count <= end {
            if Array(c[i..<(i + n.count)]) == n { return i }
            i += 1
        }
        return nil
    }

    /// `<name args>` (from `start` to the closing `>` at `close`).
    private mutating func angleTag(_ c: [Character], _ start: Int, _ close: Int, name: String) -> String {
        var i = start + name.count
        var digits = ""
        while i < close, c[i].isNumber { digits.append(c[i]); i += 1 }
        while i < close, c[i] == " " { i += 1 }
        let argument = convert(c, i, close)
        switch name {
        case "star", "botstar", "input", "reply": return "{\(name)\(digits)}"
        case "id": return "{id}"
        case "get":
            return "{get \(argument)}"
        case "bot", "env":
            return "{\(name) \(argument)}"
        case "set":
            // `<set topic=name>` switches the topic, as `{topic=name}` does.
            if let equals = argument.firstIndex(of: "="), argument[..<equals].trimmingCharacters() == "topic" {
                let value = argument[argument.index(after: equals)...].trimmingCharacters()
                if !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) {
                    return "{topic \(value)}"
                }
            }
            return "{set \(argument)}"
        case "add", "sub", "mult", "div": return "{\(name) \(argument)}"
        case "person", "formal", "sentence", "uppercase", "lowercase":
            return "{\(name) {star}}"
        case "@": return "{@ {star}}"
        default:
            drop("object macro call '<call>…</call>' cannot be imported — dropped")
            return ""
        }
    }

    /// `{name…}` tags; `nil` when the braces are literal text.
    private mutating func braceTag(_ inner: String, _ c: [Character], tagEnd: Int, end: Int, next: inout Int)
        -> String?
    {
        if inner.hasPrefix("weight=") {
            weight = Int(inner.dropFirst("weight=".count).filter { !$0.isWhitespace })
            next = tagEnd + 1
            return ""
        }
        if inner.hasPrefix("topic=") {
            next = tagEnd + 1
            let value = inner.dropFirst("topic=".count).trimmingCharacters()
            if !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) {
                return "{topic \(value)}"
            }
            // A topic computed at run time (`{topic=<star>}`): compat mode's `topic` variable.
            return "{set topic=\(convert(Array(value), 0, value.count))}"
        }
        if inner.hasPrefix("@") {
            next = tagEnd + 1
            let target = convert(Array(inner.dropFirst()), 0, inner.count - 1).trimmingCharacters()
            return "{@ \(target)}"
        }
        if inner == "ok" {
            next = tagEnd + 1
            if inBegin { return "{ok}" }
            warn("'{ok}' outside the begin block means nothing — removed")
            return ""
        }
        if inner.hasPrefix("!") {
            drop("inline definition '{\(inner)}' cannot be imported — dropped")
            next = tagEnd + 1
            return ""
        }
        if Self.braceTransforms.contains(inner),
            let closeStart = find(c, "{/\(inner)}", from: tagEnd + 1, end: end)
        {
            next = closeStart + "{/\(inner)}".count
            if inner == "random" {
                let body = String(c[(tagEnd + 1)..<closeStart])
                let parts =
                    body.contains("|")
                    ? body.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                    : body.split(separator: " ").map(String.init)
                let converted = parts.map { convert(Array($0), 0, $0.count) }
                return "{random \(converted.joined(separator: "|"))}"
            }
            return "{\(inner) \(convert(c, tagEnd + 1, closeStart))}"
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingCharacters() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
