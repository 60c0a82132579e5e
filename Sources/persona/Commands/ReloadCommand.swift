import CLI
import HTTP1
import JSON

/// `persona reload`: asks the running server to reload its personalities — transactional:
/// the whole new set or none of it. Prints what changed, or every error with its location.
/// Exit 0 when applied (or a clean dry run), 1 when rejected.
enum ReloadCommand {
    /// The command's declaration.
    static let command = Command(
        name: "reload",
        abstract: "Reload the running server's personalities (all or nothing).",
        discussion: """
            The server builds the new set beside the one serving, validates it (and runs the \
            authors' tests with --run-tests), then swaps it in whole — or keeps the current set and \
            reports every error as file:line:col. Sessions finish their current reply on the version \
            they started with. SIGHUP and 'persona serve --watch' run the same reload.
            """,
        options: [
            .flag("dry-run", help: "Validate and show what would change, without swapping."),
            .flag(
                "run-tests", help: "Also run every personality's tests; a failing test rejects the reload."),
        ] + AdminEndpoint.options,
        run: run)

    /// Calls `POST /admin/reload` and prints the outcome.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let endpoint = try AdminEndpoint(values)
        var query: [String] = []
        if values.flag("dry-run") { query.append("dry_run=1") }
        if values.flag("run-tests") { query.append("run_tests=1") }
        let (status, body) = try endpoint.call(
            .post, "/admin/reload" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
        guard let result = body["result"]?.stringValue else {
            throw CommandFailure(AdminEndpoint.errorMessage(body, status: status))
        }
        let format = try values.choice("format", as: OutputFormat.self)
        if format == .json {
            context.stdout.writeLine(body.serialized(pretty: true))
        } else {
            for line in summary(body) { context.stdout.writeLine(line) }
        }
        if result == "rejected" {
            if format == .text {
                for error in body["errors"]?.arrayValue ?? [] {
                    context.stderr.writeLine(error["text"]?.stringValue ?? "\(error)")
                }
            }
            let count = body["errors"]?.arrayValue?.count ?? 0
            throw CommandFailure(
                "reload rejected with \(count) error\(count == 1 ? "" : "s"); the server keeps serving version \(body["version"]?.stringValue ?? "?")"
            )
        }
    }

    /// The outcome and diff as lines for people (errors go to stderr separately).
    static func summary(_ body: JSONValue) -> [String] {
        let version = body["version"]?.stringValue ?? "?"
        var lines: [String] = []
        switch body["result"]?.stringValue {
        case "applied": lines.append("reload applied: now serving version \(version)")
        case "dry_run": lines.append("dry run: the reload would apply (still serving version \(version))")
        default: lines.append("reload rejected")
        }
        if let tests = body["tests"], let run = tests["run"]?.intValue, run > 0 {
            lines.append("author tests: \(run - (tests["failed"]?.intValue ?? 0)) of \(run) passed")
        }
        guard let diff = body["diff"], diff != .null else { return lines }
        let added = diff["added"]?.arrayValue ?? []
        let removed = diff["removed"]?.arrayValue ?? []
        let changed = diff["changed"]?.arrayValue ?? []
        lines += added.map { "+ \($0["id"]?.stringValue ?? "") \($0["version"]?.stringValue ?? "")" }
        lines += removed.map { "- \($0["id"]?.stringValue ?? "") \($0["version"]?.stringValue ?? "")" }
        lines += changed.map { change in
            let fields = (change["fields"]?.arrayValue ?? []).compactMap(\.stringValue).joined(
                separator: ", ")
            return
                "~ \(change["id"]?.stringValue ?? "") \(change["old_version"]?.stringValue ?? "") -> \(change["new_version"]?.stringValue ?? "") (\(fields))"
        }
        var limitParts: [String] = []
        for (key, verb) in [
            ("sets_added", "added"), ("sets_removed", "removed"), ("sets_changed", "changed"),
        ] {
            limitParts += (diff["limits"]?[key]?.arrayValue ?? []).compactMap(\.stringValue).map {
                "set \($0) \(verb)"
            }
        }
        if diff["limits"]?["rules_changed"] == .bool(true) { limitParts.append("rules changed") }
        if !limitParts.isEmpty { lines.append("limits: " + limitParts.joined(separator: "; ")) }
        let routing = (diff["routing"]?.arrayValue ?? []).compactMap(\.stringValue)
        if !routing.isEmpty { lines.append("routing: " + routing.joined(separator: ", ") + " changed") }
        if added.isEmpty && removed.isEmpty && changed.isEmpty && limitParts.isEmpty && routing.isEmpty {
            lines.append("no changes")
        }
        let build = body["build_ms"]?.doubleValue ?? 0
        let swap = body["swap_ms"]?.doubleValue ?? 0
        lines.append("built in \(milliseconds(build)), swapped in \(milliseconds(swap))")
        return lines
    }

    private static func milliseconds(_ value: Double) -> String {
        "\((value * 10).rounded() / 10) ms"
    }
}
