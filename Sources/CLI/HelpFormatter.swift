/// Renders the help screen and usage line of a command from its declaration.
///
/// Layout (swift-argument-parser's, which users of Swift tools already read fluently):
/// sections `OVERVIEW`, `USAGE`, `ARGUMENTS`, `OPTIONS`, `SUBCOMMANDS`, each entry indented two
/// columns with its description starting at column ``descriptionColumn``, everything wrapped to
/// ``width`` columns. A label too wide for its column puts the description on the next line.
public struct HelpFormatter: Sendable {
    /// The widest a help line gets (where words allow).
    public static let width = 80
    /// The column descriptions start at.
    public static let descriptionColumn = 26

    /// The commands from the root to the one being described.
    public var commands: [Command]

    /// Creates a formatter for the last command of `commands`.
    public init(commands: [Command]) {
        precondition(!commands.isEmpty, "HelpFormatter needs at least the root command")
        self.commands = commands
    }

    private var command: Command { commands[commands.count - 1] }
    private var isRoot: Bool { commands.count == 1 }
    private var pathName: String { commands.map(\.name).joined(separator: " ") }

    /// The whole help screen, ending in a newline.
    public func helpText() -> String {
        var sections: [[String]] = []
        if !command.abstract.isEmpty {
            sections.append(TextWrapper.wrap("OVERVIEW: \(command.abstract)", width: Self.width))
        }
        if !command.discussion.isEmpty {
            sections.append(TextWrapper.wrap(command.discussion, width: Self.width))
        }
        sections.append(usageLines(prefix: "USAGE: "))

        let arguments = command.arguments.map { argument in
            (
                argument.isVariadic ? "\(argument.label) ..." : argument.label,
                Self.describe(
                    argument.help, hints: Self.hints(type: argument.type, default: argument.defaultValue))
            )
        }
        if !arguments.isEmpty {
            sections.append(["ARGUMENTS:"] + arguments.flatMap(Self.entry))
        }

        var options = command.options.filter { !$0.isHidden }.map { option in
            (Self.label(option), Self.describe(option.help, hints: Self.hints(option)))
        }
        if command.version != nil { options.append(("--version", "Show the version.")) }
        options.append(("-h, --help", "Show help information."))
        sections.append(["OPTIONS:"] + options.flatMap(Self.entry))

        var subcommands = command.subcommands.filter { !$0.isHidden }.map { ($0.name, $0.abstract) }
        if !subcommands.isEmpty {
            if isRoot { subcommands.append((Command.help.name, Command.help.abstract)) }
            let helpPath = ([commands[0].name, "help"] + commands.dropFirst().map(\.name)).joined(
                separator: " ")
            sections.append(
                ["SUBCOMMANDS:"] + subcommands.flatMap(Self.entry)
                    + ["", "  See '\(helpPath) <subcommand>' for detailed help."])
        }
        return sections.map { $0.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
    }

    /// The usage synopsis after `prefix` (`USAGE: ` in help, `Usage: ` in errors), wrapped.
    ///
    /// When the full synopsis does not fit, optional options collapse into `[<options>]` (the
    /// help screen lists them anyway); what is still too long wraps between pieces.
    public func usageLines(prefix: String) -> [String] {
        let full = [pathName] + synopsis(collapsingOptions: false)
        var lines = TextWrapper.join(full, prefix: prefix, hangingIndent: prefix.count, width: Self.width)
        if lines.count > 1 {
            let collapsed = [pathName] + synopsis(collapsingOptions: true)
            lines = TextWrapper.join(
                collapsed, prefix: prefix, hangingIndent: prefix.count, width: Self.width)
        }
        return lines
    }

    /// The synopsis pieces after the command path: options, arguments, `<subcommand>`.
    private func synopsis(collapsingOptions: Bool) -> [String] {
        var pieces: [String] = []
        var collapsed = false
        for option in command.options where !option.isHidden {
            let required = option.isRequired && option.defaultValue == nil
            if collapsingOptions, !required {
                if !collapsed { pieces.append("[<options>]") }
                collapsed = true
                continue
            }
            var piece = option.takesValue ? "\(option.longLabel) <\(option.valueName)>" : option.longLabel
            if option.isRepeatable { piece += " ..." }
            pieces.append(required ? piece : "[\(piece)]")
        }
        for argument in command.arguments {
            switch argument.arity {
            case .required: pieces.append(argument.label)
            case .optional: pieces.append("[\(argument.label)]")
            case .zeroOrMore: pieces.append("[\(argument.label) ...]")
            case .oneOrMore: pieces.append("\(argument.label) ...")
            }
        }
        if !command.subcommands.isEmpty { pieces.append("<subcommand>") }
        return pieces
    }

    /// `-p, --port <port>`, `--tag <tag> ...`, `-v, --verbose`.
    private static func label(_ option: Option) -> String {
        var label = option.short.map { "-\($0), " } ?? ""
        label += option.longLabel
        if option.takesValue { label += " <\(option.valueName)>" }
        if option.isRepeatable, option.takesValue { label += " ..." }
        return label
    }

    /// The parenthesised facts after an option's help: allowed values, range, default, variable.
    private static func hints(_ option: Option) -> [String] {
        var hints: [String] = []
        if case .value(let type) = option.kind {
            hints = Self.hints(type: type, default: option.defaultValue)
        }
        if let variable = option.environment { hints.append("env: \(variable)") }
        return hints
    }

    private static func hints(type: ValueType, default value: String?) -> [String] {
        var hints: [String] = []
        if case .choice(let allowed) = type { hints.append("values: \(allowed.joined(separator: ", "))") }
        let range = type.rangeDescription
        if !range.isEmpty { hints.append(range.hasPrefix("at ") ? range : "range: \(range)") }
        if let value { hints.append("default: \(value)") }
        return hints
    }

    private static func describe(_ help: String, hints: [String]) -> String {
        guard !hints.isEmpty else { return help }
        let joined = "(\(hints.joined(separator: "; ")))"
        return help.isEmpty ? joined : "\(help) \(joined)"
    }

    /// One entry: label in the left column, description wrapped in the right one.
    private static func entry(label: String, description: String) -> [String] {
        let indent = String(repeating: " ", count: descriptionColumn)
        let wrapped = TextWrapper.wrap(description, width: width - descriptionColumn).map { indent + $0 }
        let head = "  " + label
        guard let first = wrapped.first, !description.isEmpty else { return [head] }
        if head.count + 2 <= descriptionColumn {
            let padded = head + String(repeating: " ", count: descriptionColumn - head.count)
            return [padded + first.dropFirst(descriptionColumn)] + wrapped.dropFirst()
        }
        return [head] + wrapped
    }
}
