import JSON
import Personality
import CLI

/// `persona schema`: prints the JSON Schema of a personality file (or of limits.yaml /
/// routing.yaml), for editors with a YAML language server.
enum SchemaCommand {
    /// The command's declaration.
    static let command = Command(
        name: "schema",
        abstract: "Print the JSON Schema of personality, limits or routing files.",
        discussion: """
            Point your editor's YAML language server at it, for example with a first line \
            '# yaml-language-server: $schema=persona-personality.schema.json' after \
            'persona schema > persona-personality.schema.json'.
            """,
        options: [
            .option("file", type: .choice(of: PersonalitySchema.Kind.self), default: "personality", help: "Which file's schema to print.")
        ],
        run: run)

    /// Prints the schema.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let kind = try values.choice("file", as: PersonalitySchema.Kind.self)
        context.stdout.writeLine(PersonalitySchema.schema(kind, engines: BuiltInEngines.catalog.names).serialized(pretty: true))
    }
}
