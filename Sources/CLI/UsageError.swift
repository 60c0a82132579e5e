/// Why a command line could not be understood. Every case renders as one sentence and ends
/// the process with ``ExitCode/usageError`` (64).
///
/// Labels inside the cases are written the way the user typed or would type them
/// (`--port`, `-p`, `<file>`), so the message can quote them directly.
public enum UsageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An option the command does not declare; `suggestion` is the nearest declared one.
    case unknownOption(String, suggestion: String?)
    /// A word where a subcommand was expected; `suggestion` is the nearest subcommand.
    case unknownSubcommand(String, suggestion: String?)
    /// An option that takes a value was last on the line, or followed by another option.
    case missingValue(option: String)
    /// A flag was given a value with `=` (`--verbose=yes`).
    case unexpectedValue(option: String)
    /// A required positional argument was not given.
    case missingArgument(String)
    /// A required option was given neither on the command line nor by its environment variable.
    case missingOption(String)
    /// More positional arguments than the command declares.
    case unexpectedArgument(String)
    /// A single-valued option was given more than once where that is refused.
    case duplicateOption(String)
    /// A value that does not fit the declared type; `label` names where it came from.
    case invalidValue(String, for: String, problem: ValueProblem)
    /// A command's own validation refused the combination of values.
    case invalid(String)

    /// One sentence, ending in punctuation, without the `Error: ` prefix.
    public var description: String {
        switch self {
        case .unknownOption(let option, let suggestion):
            return "Unknown option '\(option)'." + Self.didYouMean(suggestion)
        case .unknownSubcommand(let name, let suggestion):
            return "Unknown subcommand '\(name)'." + Self.didYouMean(suggestion)
        case .missingValue(let option):
            return "Missing value for option '\(option)'."
        case .unexpectedValue(let option):
            return "Option '\(option)' does not take a value."
        case .missingArgument(let label):
            return "Missing expected argument '\(label)'."
        case .missingOption(let label):
            return "Missing expected option '\(label)'."
        case .unexpectedArgument(let argument):
            return "Unexpected argument '\(argument)'."
        case .duplicateOption(let option):
            return "Option '\(option)' was given more than once."
        case .invalidValue(let value, let label, let problem):
            return "Invalid value '\(value)' for \(label): \(problem.explanation)"
        case .invalid(let message):
            return message
        }
    }

    private static func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { " Did you mean '\($0)'?" } ?? ""
    }
}
