import Diagnostics
import CLI
import JSON
import Personality

/// `persona list`: the personalities under a path — id, name, engine and version — as a table
/// or JSON.
enum ListCommand {
    /// Output formats.
    enum Format: String, CaseIterable {
        case table, json
    }

    /// The command's declaration.
    static let command = Command(
        name: "list",
        abstract: "List personalities with their engine and version.",
        discussion: "Lists what loads cleanly; run 'persona validate' to see problems.",
        arguments: [Argument("path", .zeroOrMore, default: "Personalities", help: "Files or folders to read.")],
        options: [
            .option("format", type: .choice(of: Format.self), default: "table", help: "How to print the list.")
        ],
        run: run)

    /// Loads and prints.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let result = RegistryBuilder(catalog: BuiltInEngines.catalog).build(paths: values.strings("path"))
        let personalities = result.personalities.sorted { $0.id < $1.id }
        switch try values.choice("format", as: Format.self) {
        case .table:
            let rows = personalities.map { [$0.id, $0.name, $0.engines.joined(separator: ","), $0.language, $0.version.description] }
            context.stdout.write(Table(header: ["ID", "NAME", "ENGINE", "LANGUAGE", "VERSION"], rows: rows).rendered)
        case .json:
            let list: JSONValue = .array(
                personalities.map { personality in
                    .object([
                        "id": .string(personality.id), "name": .string(personality.name),
                        "engines": .array(personality.engines.map(JSONValue.string)),
                        "language": .string(personality.language), "tags": .array(personality.tags.map(JSONValue.string)),
                        "version": .string(personality.version.description), "file": .string(personality.source.file),
                    ])
                })
            context.stdout.writeLine(list.serialized(pretty: true))
        }
        let errors = result.diagnostics.filter { $0.severity == .error }.count
        if errors > 0 {
            context.stderr.writeLine("warning: \(DiagnosticRendering.counted(errors, "error")) while loading; run 'persona validate' for details")
        }
    }
}
