import Diagnostics
import JSON

/// How diagnostics leave the process: compiler-style lines for people, JSON for editors and CI.
enum DiagnosticRendering {
    /// One JSON object per diagnostic: file, line, column (absent without a location),
    /// severity, code and message.
    static func json(_ diagnostic: Diagnostic) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let location = diagnostic.location {
            members += [
                ("file", .string(location.file)), ("line", .integer(Int64(location.line))),
                ("column", .integer(Int64(location.column))),
            ]
        }
        members += [
            ("severity", .string(diagnostic.severity.rawValue)), ("code", .string(diagnostic.code)),
            ("message", .string(diagnostic.message)),
        ]
        return .object(JSONObject(members))
    }

    /// "2 errors, 1 warning" — the counts with the right plurals.
    static func summary(_ diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        return "\(counted(errors, "error")), \(counted(warnings, "warning"))"
    }

    /// "1 file", "3 files", "2 personalities".
    static func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
        "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
    }
}
