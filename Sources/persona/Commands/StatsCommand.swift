import CLI
import HTTP1
import JSON

/// `persona stats`: what the running server has done — sessions, messages, cache, PII
/// redactions, latency percentiles, reloads.
enum StatsCommand {
    /// The command's declaration.
    static let command = Command(
        name: "stats",
        abstract: "Show the running server's counters and gauges.",
        options: AdminEndpoint.options,
        run: run)

    /// Calls `GET /admin/stats` and prints it as a two-column table.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let endpoint = try AdminEndpoint(values)
        let (status, body) = try endpoint.call(.get, "/admin/stats")
        guard status == 200 else { throw CommandFailure(AdminEndpoint.errorMessage(body, status: status)) }
        if try values.choice("format", as: OutputFormat.self) == .json {
            context.stdout.writeLine(body.serialized(pretty: true))
            return
        }
        var rows: [[String]] = []
        flatten(body, prefix: "", into: &rows)
        context.stdout.write(Table(header: ["METRIC", "VALUE"], rows: rows).rendered)
    }

    /// Nested objects become dotted names (`messages.in`), in the server's order.
    static func flatten(_ value: JSONValue, prefix: String, into rows: inout [[String]]) {
        if let object = value.objectValue {
            if object.isEmpty && !prefix.isEmpty { rows.append([prefix, "-"]) }
            for (key, child) in object {
                flatten(child, prefix: prefix.isEmpty ? key : prefix + "." + key, into: &rows)
            }
        } else {
            rows.append([prefix, ShowCommand.text(value)])
        }
    }
}
