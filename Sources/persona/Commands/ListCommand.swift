import CLI
import Diagnostics
import HTTP1
import JSON
import PersonaServer
import Personality

/// `persona list`: personalities with their engine, language and version — from a folder, or
/// with `--server` from the running server's admin API — as a table or JSON.
enum ListCommand {
    /// The command's declaration.
    static let command = Command(
        name: "list",
        abstract: "List personalities with their engine and version.",
        discussion: """
            Reads a folder (what loads cleanly; run 'persona validate' to see problems), or, with \
            --server, asks the running server what it is serving.
            """,
        arguments: [Argument("path", .zeroOrMore, default: "Personalities", help: "Files or folders to read.")],
        options: [.flag("server", help: "List what the running server serves (admin API) instead of a folder.")]
            + AdminEndpoint.options,
        run: run)

    /// Loads (or asks) and prints.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let list: [JSONValue]
        if values.flag("server") {
            let endpoint = try AdminEndpoint(values)
            let (status, body) = try endpoint.call(.get, "/admin/personalities")
            guard status == 200 else { throw CommandFailure(AdminEndpoint.errorMessage(body, status: status)) }
            list = body["personalities"]?.arrayValue ?? []
        } else {
            let result = RegistryBuilder(catalog: BuiltInEngines.catalog).build(paths: values.strings("path"))
            list = result.personalities.sorted { $0.id < $1.id }.map(AdminJSON.personalitySummary)
            let errors = result.diagnostics.filter { $0.severity == .error }.count
            if errors > 0 {
                context.stderr.writeLine(
                    "warning: \(DiagnosticRendering.counted(errors, "error")) while loading; run 'persona validate' for details")
            }
        }
        switch try values.choice("format", as: OutputFormat.self) {
        case .text:
            let rows = list.map { entry in
                [
                    entry["id"]?.stringValue ?? "", entry["name"]?.stringValue ?? "",
                    (entry["engines"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ","),
                    entry["language"]?.stringValue ?? "", entry["version"]?.stringValue ?? "",
                ]
            }
            context.stdout.write(Table(header: ["ID", "NAME", "ENGINE", "LANGUAGE", "VERSION"], rows: rows).rendered)
        case .json:
            context.stdout.writeLine(JSONValue.array(list).serialized(pretty: true))
        }
    }
}
