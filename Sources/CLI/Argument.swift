/// A positional argument of a command, such as `<file>` or `[<files> ...]`.
///
/// Arguments are filled in declaration order. Optional and variadic arguments must come after
/// every required one, and a variadic argument must be last; ``Command`` checks this when the
/// tree is built so an ambiguous declaration fails in the author's test, not in a user's shell.
public struct Argument: Sendable, Hashable {
    /// How many values an argument takes.
    public enum Arity: Sendable, Hashable {
        /// Exactly one value.
        case required
        /// Zero or one value.
        case optional
        /// Any number of values, including none.
        case zeroOrMore
        /// At least one value.
        case oneOrMore
    }

    /// The name shown in help (`<file>`); also the key values are read by.
    public var name: String
    /// One sentence for the help screen.
    public var help: String
    /// How many values the argument takes.
    public var arity: Arity
    /// What text each value must be.
    public var type: ValueType
    /// The value used when an optional argument is not given.
    public var defaultValue: String?

    /// Creates a positional argument.
    public init(
        _ name: String, _ arity: Arity = .required, type: ValueType = .string,
        default defaultValue: String? = nil,
        help: String
    ) {
        self.name = name
        self.help = help
        self.arity = arity
        self.type = type
        self.defaultValue = defaultValue
    }

    /// Whether the argument can take more than one value.
    public var isVariadic: Bool { arity == .zeroOrMore || arity == .oneOrMore }

    /// Whether the command line must supply at least one value.
    public var isRequired: Bool { arity == .required || arity == .oneOrMore }

    /// `<file>`.
    public var label: String { "<\(name)>" }
}
