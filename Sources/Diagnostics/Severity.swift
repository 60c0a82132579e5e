/// How serious a diagnostic is: errors make a file unusable, warnings do not.
public enum Severity: String, Hashable, Sendable, Comparable {
    case warning
    case error

    /// Warnings sort before errors.
    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs == .warning && rhs == .error
    }
}
