// How to add a command to `persona`
// ---------------------------------
// 1. Create `Commands/<Name>Command.swift` declaring an enum with a static `command`:
//
//        import CLI
//
//        /// `persona greet`: says hello (one line on what it is for).
//        enum GreetCommand {
//            /// The command's declaration.
//            static let command = Command(
//                name: "greet",
//                abstract: "Say hello to someone.",
//                arguments: [Argument("name", help: "Who to greet.")],
//                options: [.option("times", short: "n", type: .int(1...10), default: "1", help: "How often.")],
//                run: run)
//
//            /// Runs once `values` are valid; throw `CommandFailure` (exit 1) or `UsageError` (exit 64).
//            static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
//                for _ in 0..<(try values.int("times")) {
//                    context.stdout.writeLine("Hello, \(try values.string("name"))!")
//                }
//            }
//        }
//
// 2. Add one line `GreetCommand.command,` to `PersonaCommand.subcommands` below, in
//    alphabetical order (help lists them in this order). Nested commands (`persona bench echo`)
//    go in the parent's `subcommands:`.
//
// Write to `context.stdout`/`context.stderr`, never `print`, and read the environment from
// `context.environment`, so tests can run commands in-process. An option that a deployment sets
// through the environment names its variable (`environment: "PERSONA_LISTEN"`); help shows it.
// `swift test --filter CLITreeTests` checks the tree for clashes after you add a line.
import CLI

/// The root of the `persona` command tree.
enum PersonaCommand {
    /// The version `persona --version` prints.
    static let version = "0.1.0"

    /// Every top-level subcommand, one per line, alphabetical.
    static let subcommands: [Command] = [
        BenchCommand.command,
        ChatCommand.command,
        ExplainCommand.command,
        ForgetCommand.command,
        HistoryCommand.command,
        ImportCommand.command,
        KeysCommand.command,
        ListCommand.command,
        ReloadCommand.command,
        SchemaCommand.command,
        ScrubCommand.command,
        ServeCommand.command,
        SessionsCommand.command,
        ShowCommand.command,
        StatsCommand.command,
        TestCommand.command,
        ValidateCommand.command,
        VersionCommand.command,
    ]

    /// The `persona` command itself.
    static let root = Command(
        name: "persona",
        abstract: "Persona — a runtime for chat-bot personalities.",
        discussion: """
            Authors describe personalities in YAML and check them with `persona validate`; \
            `persona serve` loads them and streams every reply token by token to chat clients \
            over WebSocket (/v1/ws).
            """,
        version: version,
        subcommands: subcommands)
}
