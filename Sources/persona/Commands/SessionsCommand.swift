import CLI
import HTTP1
import JSON

/// `persona sessions`: live sessions on the running server — counts by kind and personality,
/// then one page of the list (never message text).
enum SessionsCommand {
    /// The command's declaration.
    static let command = Command(
        name: "sessions",
        abstract: "List live sessions on the running server.",
        options: [
            .option("page", type: .integer(1...1_000_000), default: "1", help: "Which page of the list."),
            .option("per-page", type: .integer(1...1_000), default: "100", help: "Sessions per page."),
            .option("tenant", type: .string, help: "Only the sessions of this tenant (API keys' tenants)."),
        ] + AdminEndpoint.options,
        run: run)

    /// Calls `GET /admin/sessions` and prints the counts and the page.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let endpoint = try AdminEndpoint(values)
        let page = try values.int("page")
        let perPage = try values.int("per-page")
        let tenant = values.stringIfPresent("tenant").map { "&tenant=" + AdminEndpoint.pathSegment($0) } ?? ""
        let (status, body) = try endpoint.call(.get, "/admin/sessions?page=\(page)&per_page=\(perPage)\(tenant)")
        guard status == 200 else { throw CommandFailure(AdminEndpoint.errorMessage(body, status: status)) }
        if try values.choice("format", as: OutputFormat.self) == .json {
            context.stdout.writeLine(body.serialized(pretty: true))
            return
        }
        let total = body["total"]?.intValue ?? 0
        context.stdout.writeLine("\(total) live session\(total == 1 ? "" : "s")\(counts(body["by_kind"]))")
        if let byPersonality = body["by_personality"]?.objectValue, !byPersonality.isEmpty {
            context.stdout.writeLine(
                "by personality:" + byPersonality.map { " \($0.key)=\($0.value.intValue ?? 0)" }.joined())
        }
        let sessions = body["sessions"]?.arrayValue ?? []
        guard !sessions.isEmpty else { return }
        context.stdout.writeLine()
        let rows = sessions.map { session in
            ["id", "kind", "personality", "version", "phase", "seq", "replies", "streaming"].map { key in
                session[key].map(ShowCommand.text) ?? "-"
            }
        }
        context.stdout.write(
            Table(
                header: ["ID", "KIND", "PERSONALITY", "VERSION", "PHASE", "SEQ", "REPLIES", "STREAMING"],
                rows: rows
            ).rendered)
        let shown = (page - 1) * perPage + sessions.count
        if shown < total { context.stdout.writeLine("(page \(page); --page \(page + 1) for more)") }
    }

    private static func counts(_ value: JSONValue?) -> String {
        guard let object = value?.objectValue, !object.isEmpty else { return "" }
        return " (" + object.map { "\($0.key) \($0.value.intValue ?? 0)" }.joined(separator: ", ") + ")"
    }
}
