import Foundation

/// What a running command may touch besides its parsed values: where to read and write, the
/// environment, and which command it is. Tests build one around ``CapturedText`` and
/// ``TextInput/lines(_:)``.
public struct CommandContext: Sendable {
    /// Where interactive input comes from.
    public var stdin: TextInput
    /// Where results go.
    public var stdout: TextOutput
    /// Where diagnostics and progress go.
    public var stderr: TextOutput
    /// The process environment (or a test's stand-in); option defaults are read from it too.
    public var environment: [String: String]
    /// The names from the root to the running command (`["persona", "bench", "echo"]`).
    public var commandPath: [String]

    /// Creates a context.
    public init(
        stdout: TextOutput, stderr: TextOutput, stdin: TextInput = .empty,
        environment: [String: String] = [:], commandPath: [String] = []
    ) {
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.environment = environment
        self.commandPath = commandPath
    }

    /// The real standard output, standard error, standard input and process environment.
    public static var standard: CommandContext {
        CommandContext(
            stdout: .standardOutput, stderr: .standardError, stdin: .standardInput,
            environment: ProcessInfo.processInfo.environment)
    }
}
