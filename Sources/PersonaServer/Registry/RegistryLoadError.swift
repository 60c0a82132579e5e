import Diagnostics

/// The personalities did not validate: every diagnostic found, errors and warnings, sorted.
public struct RegistryLoadError: Error, Sendable, CustomStringConvertible {
    /// What the registry builder reported.
    public var diagnostics: [Diagnostic]

    /// Creates the error.
    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One diagnostic per line, `file:line:col: severity: message`.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
