/// A runtime failure a command reports with a message of its own: rendered at the edge as
/// `Error: <message>` on stderr, exiting with ``exitCode`` (``ExitCode/failure`` by default).
///
/// Commands may also throw any other error; the edge renders those with their description
/// and exit 1. `CommandFailure` is for when the command knows the sentence the user needs.
public struct CommandFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The sentence shown after `Error: `.
    public var message: String
    /// The process exit status.
    public var exitCode: ExitCode

    /// Creates a failure with a message and an exit code.
    public init(_ message: String, exitCode: ExitCode = .failure) {
        self.message = message
        self.exitCode = exitCode
    }

    /// The message.
    public var description: String { message }
}
