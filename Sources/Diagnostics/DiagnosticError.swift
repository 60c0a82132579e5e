/// An error that carries every diagnostic found, so a caller can report them all at once.
public struct DiagnosticError: Error, Sendable, CustomStringConvertible {
    /// All problems found, in report order.
    public var diagnostics: [Diagnostic]

    /// Creates an error from the diagnostics found.
    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One diagnostic per line.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
