/// One command of a command-line tool, as data: its name, help text, arguments, options,
/// subcommands, and what it does.
///
/// A tool is a tree of these. The framework parses a command line against the tree, validates
/// every value, and only then calls ``run`` with typed ``ParsedValues``; help, usage lines and
/// error messages are all derived from the same declaration, so they cannot drift apart.
///
/// ```swift
/// let greet = Command(
///     name: "greet",
///     abstract: "Say hello to someone.",
///     arguments: [Argument("name", help: "Who to greet.")],
///     options: [.option("times", short: "n", type: .int(1...10), default: "1", help: "How often.")]
/// ) { values, context in
///     for _ in 0..<(try values.int("times")) {
///         context.stdout.writeLine("Hello, \(try values.string("name"))!")
///     }
/// }
/// ```
///
/// A command with subcommands selects one with its first positional word and declares no
/// positional arguments of its own; when it has no ``run`` and no subcommand is named, its help
/// is shown. The root of a tree with subcommands also answers `help <subcommand> ...`.
public struct Command: Sendable {
    /// What the command does once its values are valid.
    public typealias Run = @Sendable (ParsedValues, CommandContext) async throws -> Void
    /// A check across values that single declarations cannot express; runs before ``Run``.
    public typealias Validate = @Sendable (ParsedValues) throws(UsageError) -> Void

    /// The word that selects the command (`serve`).
    public var name: String
    /// One sentence: the `OVERVIEW` line and the entry in the parent's `SUBCOMMANDS`.
    public var abstract: String
    /// Paragraphs shown under the overview in help; wrapped to 80 columns.
    public var discussion: String
    /// The version `--version` prints; only meaningful on the root.
    public var version: String?
    /// Positional arguments, in order.
    public var arguments: [Argument]
    /// Options and flags, in the order help lists them.
    public var options: [Option]
    /// Nested commands, in the order help lists them.
    public var subcommands: [Command]
    /// Whether the command is left out of its parent's help (still runnable).
    public var isHidden: Bool
    /// Cross-value validation, run after every value has been checked.
    public var validate: Validate?
    /// The work; `nil` for a pure group of subcommands.
    public var run: Run?

    /// Creates a command.
    public init(
        name: String, abstract: String, discussion: String = "", version: String? = nil,
        arguments: [Argument] = [], options: [Option] = [], subcommands: [Command] = [],
        isHidden: Bool = false, validate: Validate? = nil, run: Run? = nil
    ) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.version = version
        self.arguments = arguments
        self.options = options
        self.subcommands = subcommands
        self.isHidden = isHidden
        self.validate = validate
        self.run = run
    }

    /// The direct subcommand called `name`, including the built-in `help` on a root with
    /// subcommands when `includingHelp` is set.
    public func subcommand(named name: String, includingHelp: Bool = false) -> Command? {
        if let match = subcommands.first(where: { $0.name == name }) { return match }
        if includingHelp, name == Command.help.name, !subcommands.isEmpty { return Command.help }
        return nil
    }

    /// The built-in `help` subcommand of a root: `persona help serve` prints the same text as
    /// `persona serve --help`. The parser handles it; its ``run`` is never called.
    public static let help = Command(
        name: "help", abstract: "Show subcommand help information.",
        arguments: [Argument("subcommands", .zeroOrMore, help: "The subcommand to show help for.")])
}
