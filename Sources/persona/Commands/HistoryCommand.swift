import CLI
import HTTP1
import JSON

/// `persona history SESSION`: one session's stored transcript (scrubbed text), from the
/// running server's store through the admin API.
enum HistoryCommand {
    /// The command's declaration.
    static let command = Command(
        name: "history",
        abstract: "Print one session's stored transcript.",
        discussion: """
            Reads the transcript from the running server's store (GET /admin/sessions/ID/history): \
            every stored turn with its seq, who said it and the scrubbed text. Sessions older than \
            the server's retention are gone.
            """,
        arguments: [Argument("session", help: "The session id (from session_started).")],
        options: AdminEndpoint.options,
        run: run)

    /// Calls the admin API and prints the transcript.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let endpoint = try AdminEndpoint(values)
        let session = try values.string("session")
        let (status, body) = try endpoint.call(.get, "/admin/sessions/\(AdminEndpoint.pathSegment(session))/history")
        guard status == 200 else { throw CommandFailure(AdminEndpoint.errorMessage(body, status: status)) }
        if try values.choice("format", as: OutputFormat.self) == .json {
            context.stdout.writeLine(body.serialized(pretty: true))
            return
        }
        var heading = "session \(body["session"]?.stringValue ?? session) (\(body["kind"]?.stringValue ?? "?")"
        if let personality = body["personality"]?["id"]?.stringValue { heading += ", \(personality)" }
        heading += ", \(body["state"]?.stringValue ?? "?")"
        if let reason = body["end_reason"]?.stringValue { heading += " \(reason)" }
        context.stdout.writeLine(heading + ")")
        for turn in body["turns"]?.arrayValue ?? [] {
            let seq = turn["seq"]?.intValue ?? 0
            let role = turn["role"]?.stringValue ?? "?"
            var line = "\(seq) \(role): \(turn["text"]?.stringValue ?? "")"
            if let finish = turn["finish"]?.stringValue, finish != "stop" { line += " [\(finish)]" }
            context.stdout.writeLine(line)
        }
    }
}
