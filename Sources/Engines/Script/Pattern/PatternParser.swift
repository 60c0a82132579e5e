import Diagnostics

/// Compiles trigger text into a ``Pattern``.
///
/// Syntax (RiveScript 2.0 triggers, written lowercase):
/// - words, normalised like input (so `what's` compiles to `whats`, `e-mail` to `e mail`);
/// - `*` one or more words, `#` one number, `_` one word of letters — each standing alone as a
///   word, each captured as `{star1}`, `{star2}`, …;
/// - `(a|b c)` alternatives, captured; `[a|b]` optional, not captured; an alternative may hold
///   words, wildcards (not captured), arrays and further groups (nested `( )` capture too, and
///   captures are numbered by their opening bracket, as RiveScript's regular expressions do);
/// - `@name` an array's items, not captured; `(@name)` captured; an item `@other` of an array
///   stands for all of `other`'s items; an empty array matches nothing;
/// - `{bot name}`, `{get name}`, `{env name}`, `{input}`/`{inputN}`, `{reply}`/`{replyN}`: the
///   value's words, read when the trigger is matched.
///
/// Errors carry the character offset of the offending piece, so the decoder can point at it.
public struct PatternParser: Sendable {
    /// Arrays by name, as written in `arrays:` (items split into words at compile time).
    public var arrays: [String: [String]]

    /// Creates a parser that resolves `@name` against `arrays`.
    public init(arrays: [String: [String]] = [:]) {
        self.arrays = arrays
    }

    /// Compiles `text`, or throws the first error found.
    public func parse(_ text: String) throws(PatternError) -> Pattern {
        var cursor = Cursor(characters: Array(text))
        let elements = try parseSequence(&cursor, inGroup: nil)
        if !cursor.atEnd {
            // parseSequence stops only at `|`, `)` or `]` outside a group.
            let character = cursor.current!
            if character == "|" {
                throw PatternError(offset: cursor.index, "'|' separates alternatives only inside ( ) or [ ]")
            }
            throw PatternError(
                offset: cursor.index, code: "unbalanced-brackets",
                "unbalanced '\(character)': nothing opened it")
        }
        if elements.isEmpty {
            throw PatternError(offset: 0, code: "empty-pattern", "the trigger has no words to match")
        }
        return Pattern(text: text, elements: elements)
    }

    private struct Cursor {
        var characters: [Character]
        var index = 0
        var atEnd: Bool { index >= characters.count }
        var current: Character? { atEnd ? nil : characters[index] }
        func peek(_ offset: Int = 1) -> Character? {
            index + offset < characters.count ? characters[index + offset] : nil
        }
    }

    /// Characters with a meaning in triggers. A switch, not a `Set<Character>`: hashing a
    /// `Character` per input character showed up in registry-load profiles.
    private static func isSyntax(_ character: Character) -> Bool {
        switch character {
        case "*", "#", "_", "(", ")", "[", "]", "|", "@", "{", "}": return true
        default: return false
        }
    }

    /// Characters that may follow a wildcard directly.
    private static func isBoundary(_ character: Character) -> Bool {
        switch character {
        case "(", ")", "[", "]", "|": return true
        default: return false
        }
    }

    /// Parses items until the end, or until `|`, `)` or `]` (left for the caller).
    private func parseSequence(_ cursor: inout Cursor, inGroup opener: Character?) throws(PatternError)
        -> [PatternElement]
    {
        var elements: [PatternElement] = []
        while let character = cursor.current {
            if character.isSpace {
                cursor.index += 1
                continue
            }
            switch character {
            case "|", ")", "]":
                return elements
            case "*", "#", "_":
                try checkStandsAlone(cursor)
                let kind: WildcardKind = character == "*" ? .any : character == "#" ? .number : .letters
                elements.append(.wildcard(kind, captures: opener == nil))
                cursor.index += 1
            case "(", "[":
                elements.append(try parseGroup(&cursor))
            case "@":
                let (name, start) = readArrayName(&cursor)
                elements.append(
                    .group(alternatives: try arrayItems(name, at: start), captures: false, optional: false))
            case "{":
                elements.append(.tag(try parseTag(&cursor)))
            case "}":
                throw PatternError(offset: cursor.index, code: "unbalanced-brackets", "unbalanced '}'")
            default:
                let start = cursor.index
                var word = ""
                while let next = cursor.current, !next.isSpace, !Self.isSyntax(next) {
                    word.append(next)
                    cursor.index += 1
                }
                if let next = cursor.current, next == "*" || next == "#" || next == "_" {
                    throw PatternError(
                        offset: cursor.index,
                        "a wildcard must stand alone as a word: put a space before '\(next)'")
                }
                _ = start
                for raw in WordSplitter.rawWords(word) { elements.append(.word(WordSplitter.key(raw))) }
            }
        }
        return elements
    }

    /// `{bot name}`, `{get name}`, `{env name}`, `{input}`/`{inputN}`, `{reply}`/`{replyN}`.
    private func parseTag(_ cursor: inout Cursor) throws(PatternError) -> TriggerTag {
        let open = cursor.index
        guard let close = cursor.characters[open...].firstIndex(of: "}") else {
            throw PatternError(offset: open, code: "unbalanced-brackets", "unbalanced '{': no '}' closes it")
        }
        let inner = String(cursor.characters[(open + 1)..<close])
        cursor.index = close + 1
        if inner.hasPrefix("weight") {
            throw PatternError(
                offset: open, "write a trigger's weight as 'weight: N' on the rule, not inside the trigger")
        }
        let parts = inner.split(whereSeparator: \.isSpace).map(String.init)
        if parts.count == 2 {
            switch parts[0] {
            case "bot": return .bot(parts[1])
            case "get": return .get(parts[1])
            case "env": return .env(parts[1])
            default: break
            }
        }
        if parts.count == 1 {
            for (name, make) in [("input", TriggerTag.input), ("reply", TriggerTag.reply)]
            where parts[0].hasPrefix(name) {
                let digits = parts[0].dropFirst(name.count)
                if digits.isEmpty { return make(1) }
                if let number = Int(digits), (1...9).contains(number) { return make(number) }
            }
        }
        throw PatternError(
            offset: open, code: "invalid-tag",
            "'{\(inner)}' cannot be used in a trigger: only {bot name}, {get name}, {env name}, {input1}…{input9} and {reply1}…{reply9} are read at match time"
        )
    }

    private func checkStandsAlone(_ cursor: Cursor) throws(PatternError) {
        if let next = cursor.peek(), !next.isSpace, !Self.isBoundary(next) {
            throw PatternError(
                offset: cursor.index,
                "a wildcard must stand alone as a word: put a space after '\(cursor.current!)'")
        }
    }

    private func parseGroup(_ cursor: inout Cursor) throws(PatternError) -> PatternElement {
        let open = cursor.index
        let opener = cursor.current!
        let closer: Character = opener == "(" ? ")" : "]"
        cursor.index += 1
        var alternatives: [[PatternElement]] = []
        while true {
            let alternativeStart = cursor.index
            // A lone `@name` alternative splices the array's items in as alternatives.
            var probe = cursor
            while let c = probe.current, c.isSpace { probe.index += 1 }
            if probe.current == "@" {
                var after = probe
                let (name, start) = readArrayName(&after)
                var tail = after
                while let c = tail.current, c.isSpace { tail.index += 1 }
                if tail.current == "|" || tail.current == closer {
                    alternatives.append(contentsOf: try arrayItems(name, at: start))
                    cursor = tail
                    if try closeOrContinue(&cursor, closer: closer, open: open) { break } else { continue }
                }
            }
            let sequence = try parseSequence(&cursor, inGroup: opener)
            if sequence.isEmpty {
                if cursor.atEnd {
                    throw PatternError(
                        offset: open, code: "unbalanced-brackets",
                        "unbalanced '\(opener)': no '\(closer)' closes it")
                }
                throw PatternError(
                    offset: alternativeStart, code: "empty-alternative",
                    "empty alternative in '\(opener)…\(closer)'")
            }
            alternatives.append(sequence)
            if try closeOrContinue(&cursor, closer: closer, open: open) { break }
        }
        return .group(alternatives: alternatives, captures: opener == "(", optional: opener == "[")
    }

    /// At `|` moves past it and returns false; at the right closer moves past it and returns true.
    private func closeOrContinue(_ cursor: inout Cursor, closer: Character, open: Int) throws(PatternError)
        -> Bool
    {
        guard let character = cursor.current else {
            let opener: Character = closer == ")" ? "(" : "["
            throw PatternError(
                offset: open, code: "unbalanced-brackets", "unbalanced '\(opener)': no '\(closer)' closes it")
        }
        cursor.index += 1
        if character == "|" { return false }
        if character == closer { return true }
        throw PatternError(
            offset: cursor.index - 1, code: "unbalanced-brackets",
            "'\(character)' closes a group opened with '\(closer == ")" ? "(" : "[")'")
    }

    private func readArrayName(_ cursor: inout Cursor) -> (String, Int) {
        let start = cursor.index
        cursor.index += 1
        var name = ""
        while let c = cursor.current, Self.isArrayNameCharacter(c) {
            name.append(c)
            cursor.index += 1
        }
        return (name, start)
    }

    private func arrayItems(_ name: String, at offset: Int) throws(PatternError) -> [[PatternElement]] {
        guard !name.isEmpty else {
            throw PatternError(offset: offset, "'@' must be followed by an array name")
        }
        guard arrays[name] != nil else {
            var message = "undefined array '@\(name)'"
            if let near = Suggestion.closest(to: name, among: arrays.keys.sorted()) {
                message += "; did you mean '@\(near)'?"
            }
            throw PatternError(offset: offset, code: "undefined-array", message)
        }
        var alternatives: [[PatternElement]] = []
        var seen: Set<[PatternElement]> = []
        for item in Self.expand(name, arrays: arrays) {
            let words = WordSplitter.rawWords(item).map { PatternElement.word(WordSplitter.key($0)) }
            if !words.isEmpty, seen.insert(words).inserted { alternatives.append(words) }
        }
        return alternatives
    }

    /// The items of array `name`, an item `@other` replaced by `other`'s items (recursively; an
    /// array met again on the way, or not defined, adds nothing).
    public static func expand(_ name: String, arrays: [String: [String]]) -> [String] {
        var result: [String] = []
        var visiting: Set<String> = []
        func walk(_ name: String) {
            guard let items = arrays[name], visiting.insert(name).inserted else { return }
            for item in items {
                let trimmed = item.trimmingSpaces()
                if trimmed.hasPrefix("@"), trimmed.dropFirst().allSatisfy(isArrayNameCharacter), trimmed.count > 1 {
                    walk(String(trimmed.dropFirst()))
                } else {
                    result.append(item)
                }
            }
            visiting.remove(name)
        }
        walk(name)
        return result
    }

    /// Characters of an array name.
    static func isArrayNameCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_" || c == "-"
    }
}
