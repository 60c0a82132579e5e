/// A command line that parsed and validated: which command, its values, and whether to run
/// it, show its help, or print the version.
public struct Invocation: Sendable {
    /// What the command line asks for.
    public enum Action: Sendable, Hashable {
        /// Run the command.
        case run
        /// Print the command's help (`-h`, `--help`, `help <sub>`, or a group without a subcommand).
        case help
        /// Print the root's version (`--version`).
        case version
    }

    /// The commands from the root to the selected one.
    public var commands: [Command]
    /// The validated values; empty for help and version.
    public var values: ParsedValues
    /// What to do.
    public var action: Action

    /// Creates an invocation.
    public init(commands: [Command], values: ParsedValues, action: Action) {
        self.commands = commands
        self.values = values
        self.action = action
    }

    /// The selected command.
    public var command: Command { commands[commands.count - 1] }

    /// The names from the root to the selected command.
    public var commandPath: [String] { commands.map(\.name) }
}
