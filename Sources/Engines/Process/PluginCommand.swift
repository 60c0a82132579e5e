/// What the `process` engine starts: a program, its arguments, extra environment variables and
/// the folder it runs in. Hashable, so personalities that name the same command share one pool.
public struct PluginCommand: Hashable, Sendable, CustomStringConvertible {
    /// The program: a name looked up in `PATH`, or a path (relative paths resolve in
    /// ``workingDirectory``).
    public var executable: String
    /// The arguments after the program name.
    public var arguments: [String]
    /// Variables added to (or replacing those of) the server's environment.
    public var environment: [String: String]
    /// The folder the program runs in.
    public var workingDirectory: String

    /// Creates a command.
    public init(
        executable: String, arguments: [String] = [], environment: [String: String] = [:],
        workingDirectory: String
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    /// The command line, for logs.
    public var description: String { ([executable] + arguments).joined(separator: " ") }
}
