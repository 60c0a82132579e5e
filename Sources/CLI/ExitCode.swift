/// How a command run ends, as the process exit status.
///
/// The values follow BSD `sysexits.h` where one fits: `64` (`EX_USAGE`) for a command line that
/// could not be understood, so scripts can tell "you called me wrong" from "I tried and failed".
/// A command may `throw ExitCode.failure` after printing its own message to end quietly.
public struct ExitCode: Error, RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The process exit status.
    public var rawValue: Int32

    /// Creates an exit code from a raw status.
    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// Creates an exit code from a raw status.
    public init(_ rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// The command did what was asked.
    public static let success = ExitCode(0)
    /// The command was understood but failed while running.
    public static let failure = ExitCode(1)
    /// The command line could not be understood (`EX_USAGE`).
    public static let usageError = ExitCode(64)

    /// True for ``success``.
    public var isSuccess: Bool { rawValue == 0 }

    /// `exit code N`.
    public var description: String { "exit code \(rawValue)" }
}
