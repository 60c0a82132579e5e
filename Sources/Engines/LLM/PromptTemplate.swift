/// The `system:` prompt template: `{name}`, `{description}`, `{language}`, `{session_id}`,
/// `{tenant}` and `{date}` are replaced; `{{` and `}}` write literal braces; any other
/// `{word}` is refused when the personality is validated.
public enum PromptTemplate {
    /// The placeholders a template may use.
    public static let variables = ["name", "description", "language", "session_id", "tenant", "date"]

    /// Placeholders in `template` that are not ``variables``.
    public static func unknownPlaceholders(in template: String) -> [String] {
        var unknown: [String] = []
        scan(template) { piece in
            if case .placeholder(let name) = piece, !variables.contains(name) { unknown.append(name) }
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
