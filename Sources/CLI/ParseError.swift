/// A ``UsageError`` together with the command it belongs to, so the edge can print that
/// command's usage line and point at its help.
public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public var error: UsageError
    /// The names from the root to the command being parsed (`["persona", "bench", "echo"]`).
    public var commandPath: [String]

    /// Creates a parse error.
    public init(_ error: UsageError, commandPath: [String]) {
        self.error = error
        self.commandPath = commandPath
    }

    /// The message, as ``UsageError/description``.
    public var description: String { error.description }
}
