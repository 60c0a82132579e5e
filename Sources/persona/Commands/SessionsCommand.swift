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
            .flag(
                "all-nodes",
                help:
                    "Every node's sessions, read from Redis, with the node holding each (the server must run with --redis); --per-page caps each tenant's list."
            ),
        ] + AdminEndpoint.options,
        run: run)

    /// Calls `GET /admin/sessions` and prints the counts and the page.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let endpoint = try AdminEndpoint(values)
        let page = try values.int("page")
        let perPage = try values.int("per-page")
        let tenant = values.stringIfPresent("tenant").map { "&tenant=" + AdminEndpoint.pathSegment($0) } ?? ""
        if values.flag("all-nodes") {
            return try allNodes(endpoint, query: "limit=\(perPage)\(tenant)", values, context)
        }
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

    /// `--all-nodes`: `GET /admin/presence`, printed per tenant with each session's node. A
    /// server without Redis answers `not_a_node`, said plainly here.
    static func allNodes(
        _ endpoint: AdminEndpoint, query: String, _ values: ParsedValues, _ context: CommandContext
    ) throws {
        let (status, body) = try endpoint.call(.get, "/admin/presence?" + query)
        guard status == 200 else {
            if body["error"]?["code"]?.stringValue == "not_a_node" {
                throw CommandFailure(
                    "--all-nodes: the server is not a node of a service (start it with 'persona serve --redis URL'); "
                        + "without --redis, 'persona sessions' lists its own sessions")
            }
            throw CommandFailure(AdminEndpoint.errorMessage(body, status: status))
        }
        if try values.choice("format", as: OutputFormat.self) == .json {
            context.stdout.writeLine(body.serialized(pretty: true))
            return
        }
        let total = body["total"]?.intValue ?? 0
        let tenants = body["tenants"]?.arrayValue ?? []
        context.stdout.writeLine("\(total) session\(total == 1 ? "" : "s") online on all nodes")
        var rows: [[String]] = []
        var cut = false
        for tenant in tenants {
            let sessions = tenant["sessions"]?.arrayValue ?? []
            if sessions.count < tenant["online"]?.intValue ?? 0 { cut = true }
            for session in sessions {
                rows.append(
                    [session["id"], session["node"], tenant["tenant"], session["kind"], session["personality"]].map {
                        $0.map(ShowCommand.text) ?? "-"
                    })
            }
        }
        guard !rows.isEmpty else { return }
        context.stdout.writeLine()
        context.stdout.write(Table(header: ["ID", "NODE", "TENANT", "KIND", "PERSONALITY"], rows: rows).rendered)
        if cut { context.stdout.writeLine("(each tenant's list is cut at --per-page)") }
    }

    private static func counts(_ value: JSONValue?) -> String {
        guard let object = value?.objectValue, !object.isEmpty else { return "" }
        return " (" + object.map { "\($0.key) \($0.value.intValue ?? 0)" }.joined(separator: ", ") + ")"
    }
}
