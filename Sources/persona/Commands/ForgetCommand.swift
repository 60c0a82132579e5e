import CLI
import HTTP1
import JSON

/// `persona forget CLIENT`: erases everything the store holds about one client key (an
/// erasure request): its sessions, their turns and engine state, and its daily counts.
enum ForgetCommand {
    /// The command's declaration.
    static let command = Command(
        name: "forget",
        abstract: "Erase every stored session of one client key.",
        discussion: """
            Deletes the client's sessions, turns, engine state and quotas from the running server's \
            store (POST /admin/clients/KEY/forget) and prints how many sessions were erased. The \
            client key is the API key, or the peer IP address when there is none.
            """,
        arguments: [Argument("client", help: "The client key (API key or IP address).")],
        options: AdminEndpoint.options,
        run: run)

    /// Calls the admin API and prints what was erased.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let endpoint = try AdminEndpoint(values)
        let client = try values.string("client")
        let (status, body) = try endpoint.call(.post, "/admin/clients/\(AdminEndpoint.pathSegment(client))/forget")
        guard status == 200 else { throw CommandFailure(AdminEndpoint.errorMessage(body, status: status)) }
        if try values.choice("format", as: OutputFormat.self) == .json {
            context.stdout.writeLine(body.serialized(pretty: true))
            return
        }
        let erased = body["sessions_erased"]?.intValue ?? 0
        context.stdout.writeLine("erased \(erased) session\(erased == 1 ? "" : "s") of client \(client)")
    }
}
