import CLI
import Diagnostics
import Engines
import Foundation

/// `persona import`: converts bots written for other engines into personality files.
enum ImportCommand {
    /// The command's declaration (a group: one subcommand per source format).
    static let command = Command(
        name: "import",
        abstract: "Convert bots from other formats into personality YAML.",
        subcommands: [rivescript, ImportCardCommand.command])

    /// `persona import rivescript FILE.rive... [-o out.yaml]`.
    static let rivescript = Command(
        name: "rivescript",
        abstract: "Convert RiveScript (.rive) files into one script personality.",
        discussion: """
            The id comes from the first file's name (or --id). The summary on stderr counts the \
            rules, arrays, substitutions and topics imported. What the script format cannot carry \
            (object macros, <call>, {!…}) is reported as file:line: error and the command exits 1 \
            after writing the rest; caveats (an undefined array imported empty) are warnings.
            """,
        arguments: [Argument("files", .oneOrMore, help: "The .rive files, loaded as one bot.")],
        options: [
            .option(
                "output", short: "o", valueName: "path",
                help: "Write the YAML here instead of standard output."),
            .option("id", help: "The personality id (default: from the first file's name)."),
        ],
        run: runRiveScript)

    /// Reads, converts, writes, and reports warnings.
    static func runRiveScript(_ values: ParsedValues, _ context: CommandContext) async throws {
        var sources: [RiveScriptImporter.Source] = []
        for path in values.strings("files") {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CommandFailure("cannot read '\(path)'")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw CommandFailure("'\(path)' is not UTF-8 text")
            }
            sources.append(RiveScriptImporter.Source(name: path, text: text))
        }
        let output = RiveScriptImporter().convert(sources, id: values.stringIfPresent("id"))
        for warning in output.warnings { context.stderr.writeLine(warning.description) }
        try write(output.text, to: values.stringIfPresent("output"), note: "\(output.warnings.count) warning(s)", context)
        context.stderr.writeLine(output.summary.line)
        if output.droppedSomething {
            throw CommandFailure("\(output.summary.dropped.count) thing(s) could not be imported (listed above)")
        }
    }

    /// Writes an imported personality to `path` (saying so on stderr, with `note`), or to
    /// standard output when no path was given.
    static func write(_ text: String, to path: String?, note: String, _ context: CommandContext) throws {
        guard let path else { return context.stdout.write(text) }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw CommandFailure("cannot write '\(path)'")
        }
        context.stderr.writeLine("wrote \(path) (\(note))")
    }
}
