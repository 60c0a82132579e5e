import CLI

/// `persona bench`: load generators and micro-benchmarks whose numbers go in the README.
/// Each subcommand is bounded in count and time and stops by itself.
enum BenchCommand {
    /// The command group.
    static let command = Command(
        name: "bench",
        abstract: "Measure Persona's speed: the server, registry loading, engines.",
        subcommands: [
            BenchChaosCommand.command,
            BenchChatCommand.command,
            BenchCompletionsCommand.command,
            BenchEchoCommand.command,
            BenchRelayCommand.command,
            BenchRegistryCommand.command,
            BenchScriptCommand.command,
        ])
}
