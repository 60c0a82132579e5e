/// A compiled reply template (replies, condition sides, `set:` values, redirects, greetings).
public struct Template: Hashable, Sendable {
    /// The template as written.
    public var source: String
    /// The compiled pieces.
    public var nodes: [TemplateNode]

    /// Creates a template.
    public init(source: String, nodes: [TemplateNode]) {
        self.source = source
        self.nodes = nodes
    }

    /// Literal text (no tags): its text; otherwise `nil`. Lint follows static redirects.
    public var staticText: String? {
        var text = ""
        for node in nodes {
            guard case .text(let piece) = node else { return nil }
            text += piece
        }
        return text
    }

    /// True when the template can produce different text each time (random pieces).
    public var isRandom: Bool {
        Self.anyNode(nodes) {
            switch $0 {
            case .random, .arrayItem: return true
            default: return false
            }
        }
    }

    /// Every node, depth first.
    public func visit(_ body: (TemplateNode) -> Void) {
        Self.visit(nodes, body)
    }

    static func visit(_ nodes: [TemplateNode], _ body: (TemplateNode) -> Void) {
        for node in nodes {
            body(node)
            switch node {
            case .get(_, let fallback?): visit(fallback, body)
            case .set(_, let value), .math(_, _, let value), .redirect(let value), .transform(_, let value),
                .setBot(_, let value), .setEnv(_, let value):
                visit(value, body)
            case .random(let alternatives): for alternative in alternatives { visit(alternative, body) }
            default: break
            }
        }
    }

    static func anyNode(_ nodes: [TemplateNode], _ predicate: (TemplateNode) -> Bool) -> Bool {
        var found = false
        visit(nodes) { if predicate($0) { found = true } }
        return found
    }
}
