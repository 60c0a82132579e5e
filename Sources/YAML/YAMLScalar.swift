/// The text of a scalar node and how it was written.
///
/// Type resolution (numbers, booleans) is left to decoders: they know which type a key wants
/// and can say so precisely when the text does not fit.
public struct YAMLScalar: Hashable, Sendable {
    /// How the scalar was written in the file.
    public enum Style: Hashable, Sendable {
        case plain
        case singleQuoted
        case doubleQuoted
        case literal
        case folded
    }

    /// The scalar's value after YAML's quoting and folding rules.
    public var text: String
    /// How it was written.
    public var style: Style

    /// Creates a scalar.
    public init(_ text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }

    /// True when written plain (unquoted, not a block scalar): only plain scalars can be
    /// numbers, booleans or null.
    public var isPlain: Bool { style == .plain }

    /// True for a plain `""`, `~`, `null`, `Null` or `NULL` (YAML 1.2 core schema).
    public var isNull: Bool {
        isPlain && (text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL")
    }
}
