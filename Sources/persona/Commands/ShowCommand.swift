import CLI
import HTTP1
import JSON

/// `persona show ID`: one personality as the running server has it — version, file, engine,
/// resolved limits.
enum ShowCommand {
    /// The command's declaration.
    static let command = Command(
        name: "show",
        abstract: "Show one personality as the running server serves it.",
        arguments: [Argument("id", help: "The personality id.")],
        options: AdminEndpoint.options,
        run: run)

    /// Calls `GET /admin/personalities/ID` and prints it.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let endpoint = try AdminEndpoint(values)
        let id = try values.string("id")
        let encoded = id.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
        guard encoded else { throw CommandFailure("'\(id)' is not a personality id", exitCode: .usageError) }
        let (status, body) = try endpoint.call(.get, "/admin/personalities/\(id)")
        guard status == 200 else { throw CommandFailure(AdminEndpoint.errorMessage(body, status: status)) }
        if try values.choice("format", as: OutputFormat.self) == .json {
            context.stdout.writeLine(body.serialized(pretty: true))
            return
        }
        var rows: [[String]] = []
        for key in [
            "id", "name", "description", "version", "file", "engines", "language", "tags", "tenant",
            "limit_set", "tests", "snapshot_version",
        ] {
            guard let value = body[key], value != .null else { continue }
            rows.append([key, text(value)])
        }
        for (key, value) in body["limits"]?.objectValue ?? [:] {
            rows.append(["limits." + key, text(value)])
        }
        context.stdout.write(Table(header: ["FIELD", "VALUE"], rows: rows).rendered)
    }

    /// A JSON value as a table cell.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .array(let items): items.map(text).joined(separator: ",")
        case .null: "-"
        default: value.serialized()
        }
    }
}
