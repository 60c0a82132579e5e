import CLI

/// `persona bench`: load generators and micro-benchmarks whose numbers go in the README.
/// Each subcommand is bounded in count and time and stops by itself.
enum BenchCommand {
    /// The command's declaration.
    static let command = Command(
        name: "bench",
        abstract: "Measure Persona's speed: registry loading, engines, the server.",
        subcommands: [
            BenchEchoCommand.command,
            BenchRegistryCommand.command,
        ])
}
