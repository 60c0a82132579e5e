import Personality

/// One entry of a rule's `conditions:`: `left op right`, and the reply when it holds.
public struct ScriptCondition: Hashable, Sendable {
    /// The comparison operators.
    public enum Operator: String, Hashable, Sendable, CaseIterable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case greater = ">"
        case lessOrEqual = "<="
        case greaterOrEqual = ">="

        /// The word spellings `eq ne lt gt le ge` (and RiveScript's `<>`).
        static let aliases: [String: Operator] = [
            "eq": .equal, "ne": .notEqual, "lt": .less, "gt": .greater, "le": .lessOrEqual,
            "ge": .greaterOrEqual,
            "<>": .notEqual,
        ]
    }

    /// The `when:` text as written.
    public var source: String
    /// Left side.
    public var left: Template
    /// The operator.
    public var comparison: Operator
    /// Right side.
    public var right: Template
    /// Candidate replies when the condition holds.
    public var replies: [WeightedTemplate]
    /// Where the condition is written.
    public var location: SourceLocationBox
}
