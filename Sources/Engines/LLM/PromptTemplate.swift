/// The `system:` prompt template: `{name}`, `{description}`, `{language}`, `{session_id}`,
/// `{tenant}` and `{date}` are replaced; `{{` and `}}` write literal braces; any other
/// `{word}` is refused when the personality is validated.
///
/// The character-card placeholders `{{char}}` (the personality's name) and `{{user}}`
/// (``userName``) are understood too, in any letter case, so imported cards keep their text;
/// ``substituteNames(in:char:)`` applies just these two to text that is not a template
/// (examples, greetings).
public enum PromptTemplate {
    /// What `{{user}}` becomes: the conventional name of the person chatting.
    public static let userName = "User"

    /// `text` with `{{char}}` and `{{user}}` (any case) replaced; nothing else changes.
    public static func substituteNames(in text: String, char: String) -> String {
        rewrite(text) { rest in
            cardPlaceholder(at: rest).map { name, length in (name == "char" ? char : userName, length) }
        }
    }

    /// `text` with every piece `replacement` recognises at a position (returning what to write
    /// and how many characters it replaces) rewritten; everything else is copied.
    package static func rewrite(_ text: String, _ replacement: (Substring) -> (String, Int)?) -> String {
        var out = ""
        var index = text.startIndex
        while index < text.endIndex {
            if let (written, length) = replacement(text[index...]) {
                out += written
                index = text.index(index, offsetBy: length)
            } else {
                out.append(text[index])
                index = text.index(after: index)
            }
        }
        return out
    }

    /// `("char" | "user", length)` when `text` starts with `{{char}}` or `{{user}}`, any case.
    static func cardPlaceholder(at text: Substring) -> (String, Int)? {
        for name in ["char", "user"] {
            let token = "{{" + name + "}}"
            if text.count >= token.count, text.prefix(token.count).lowercased() == token { return (name, token.count) }
        }
        return nil
    }

    /// The placeholders a template may use.
    public static let variables = ["name", "description", "language", "session_id", "tenant", "date"]

    /// Placeholders in `template` that are not ``variables``.
    public static func unknownPlaceholders(in template: String) -> [String] {
        var unknown: [String] = []
        scan(template) { piece in
            if case .placeholder(let name) = piece, !variables.contains(name), name != "char", name != "user" {
                unknown.append(name)
            }
        }
        return unknown
    }

    /// `template` with its placeholders replaced from `values` (a missing value becomes "").
    public static func render(_ template: String, values: [String: String]) -> String {
        var out = ""
        scan(template) { piece in
            switch piece {
            case .text(let text): out += text
            case .placeholder(let name): out += values[name] ?? ""
            }
        }
        return out
    }

    private enum Piece {
        case text(Substring)
        case placeholder(String)
    }

    private static func scan(_ template: String, _ visit: (Piece) -> Void) {
        var index = template.startIndex
        var textStart = index
        while index < template.endIndex {
            let character = template[index]
            let next = template.index(after: index)
            if character == "{", let (name, length) = cardPlaceholder(at: template[index...]) {
                visit(.text(template[textStart..<index]))
                visit(.placeholder(name))
                index = template.index(index, offsetBy: length)
                textStart = index
                continue
            }
            if character == "{" || character == "}", next < template.endIndex, template[next] == character {
                visit(.text(template[textStart..<index]))
                visit(.text(template[index..<next]))
                index = template.index(after: next)
                textStart = index
                continue
            }
            if character == "{", let close = template[next...].firstIndex(of: "}") {
                let name = template[next..<close]
                if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0 == "_" || $0.isNumber }) {
                    visit(.text(template[textStart..<index]))
                    visit(.placeholder(String(name)))
                    index = template.index(after: close)
                    textStart = index
                    continue
                }
            }
            index = next
        }
        visit(.text(template[textStart..<template.endIndex]))
    }
}
