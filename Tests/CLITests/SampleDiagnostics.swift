import Diagnostics

/// A diagnostic error as the YAML layer would throw it.
enum SampleDiagnostics {
    static let error = DiagnosticError([
        .error(
            "unknown-key", at: SourceLocation(file: "a.yaml", line: 3, column: 5), "unknown key 'gretting'")
    ])
}
