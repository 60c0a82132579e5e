import CLI
import HTTP1
import JSON

/// `persona keys create|list|revoke`: API keys, through the running server's admin API.
enum KeysCommand {
    /// The command group.
    static let command = Command(
        name: "keys",
        abstract: "Create, list and revoke API keys.",
        subcommands: [create, list, revoke])

    static let create = Command(
        name: "create",
        abstract: "Create an API key and print it (the only time it is shown).",
        discussion: """
            The server keeps only a SHA-256 digest of the key, in its keys file (<data-dir>/keys.yaml \
            by default). Clients send it as 'Authorization: Bearer KEY' (REST, OpenAI API) or as the \
            WebSocket subprotocol value 'persona-key.KEY' beside 'persona.v1' (/v1/ws).
            """,
        options: [
            .option("tenant", type: .string, help: "The tenant the key's sessions belong to (required)."),
            .option("tier", type: .string, help: "The tier that selects limits.yaml rules."),
            .option("personalities", type: .string, valueName: "id,...", help: "Only these personalities."),
            .option("origins", type: .string, valueName: "origin,...", help: "Only from these browser origins."),
            .option(
                "expires-in", type: .duration(.seconds(1) ... .seconds(100 * 365 * 86_400)),
                help: "Seconds until the key is refused (default: never)."),
        ] + AdminEndpoint.options,
        run: runCreate)

    static let list = Command(
        name: "list", abstract: "List the API keys (ids, tenants, tiers, status; never secrets).",
        options: AdminEndpoint.options, run: runList)

    static let revoke = Command(
        name: "revoke", abstract: "Revoke an API key: it is refused from the next request on.",
        arguments: [Argument("id", help: "The key's id (from 'persona keys list').")],
        options: AdminEndpoint.options, run: runRevoke)

    static func runCreate(_ values: ParsedValues, _ context: CommandContext) async throws {
        let endpoint = try AdminEndpoint(values)
        guard let tenant = values.stringIfPresent("tenant") else {
            throw UsageError.invalid("--tenant is required")
        }
        var body = JSONObject([("tenant", .string(tenant))])
        if let tier = values.stringIfPresent("tier") { body["tier"] = .string(tier) }
        func list(_ name: String) -> JSONValue? {
            values.stringIfPresent(name).map { text in
                .array(text.split(separator: ",").map { .string(String($0.filter { $0 != " " })) })
            }
        }
        body["personalities"] = list("personalities")
        body["origins"] = list("origins")
        if let expires = try values.durationIfPresent("expires-in") {
            body["expires_in"] = .integer(max(1, expires.components.seconds))
        }
        let (status, answer) = try endpoint.call(.post, "/admin/keys", body: .object(body))
        guard status == 201 else { throw CommandFailure(AdminEndpoint.errorMessage(answer, status: status)) }
        if try values.choice("format", as: OutputFormat.self) == .json {
            context.stdout.writeLine(answer.serialized(pretty: true))
            return
        }
        context.stdout.writeLine(answer["key"]?.stringValue ?? "")
        context.stderr.writeLine(
            "key \(answer["id"]?.stringValue ?? "?") for tenant \(tenant): store it now, it is not shown again")
    }

    static func runList(_ values: ParsedValues, _ context: CommandContext) async throws {
        let endpoint = try AdminEndpoint(values)
        let (status, answer) = try endpoint.call(.get, "/admin/keys")
        guard status == 200 else { throw CommandFailure(AdminEndpoint.errorMessage(answer, status: status)) }
        if try values.choice("format", as: OutputFormat.self) == .json {
            context.stdout.writeLine(answer.serialized(pretty: true))
            return
        }
        let rows = (answer["keys"]?.arrayValue ?? []).map { key -> [String] in
            [
                key["id"]?.stringValue ?? "", key["tenant"]?.stringValue ?? "", key["tier"]?.stringValue ?? "-",
                key["status"]?.stringValue ?? "",
                key["expires_at"]?.int64Value.map(String.init) ?? "never",
            ]
        }
        context.stdout.write(Table(header: ["ID", "TENANT", "TIER", "STATUS", "EXPIRES"], rows: rows).rendered)
    }

    static func runRevoke(_ values: ParsedValues, _ context: CommandContext) async throws {
        let endpoint = try AdminEndpoint(values)
        let id = try values.string("id")
        let (status, answer) = try endpoint.call(.delete, "/admin/keys/\(AdminEndpoint.pathSegment(id))")
        guard status == 200 else { throw CommandFailure(AdminEndpoint.errorMessage(answer, status: status)) }
        context.stdout.writeLine("revoked key \(id) (tenant \(answer["tenant"]?.stringValue ?? "?"))")
    }
}
