import CLI
import JSON

/// `persona version`: the version as text or JSON, for scripts and bug reports.
///
/// `persona --version` prints the same text; this command exists for the machine-readable form.
enum VersionCommand {
    /// The command's declaration.
    static let command = Command(
        name: "version",
        abstract: "Show the version of persona.",
        options: [.format(help: "How to print the version.")],
        run: run)

    /// Prints the version in the chosen format.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        switch try values.choice("format", as: OutputFormat.self) {
        case .text:
            context.stdout.writeLine("persona \(PersonaCommand.version)")
        case .json:
            let value: JSONValue = ["name": "persona", "version": .string(PersonaCommand.version)]
            context.stdout.writeLine(value.serialized())
        }
    }
}
