/// One problem found in an author's input, with where it is and what to do about it.
///
/// Rendered as `path/to/file.yaml:LINE:COL: error: message` — the format compilers use, so
/// editors and CI annotate the right line without configuration.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// Error or warning.
    public var severity: Severity
    /// Where the problem is; `nil` for problems that belong to no file (an unreadable folder).
    public var location: SourceLocation?
    /// A sentence that says what is wrong, and, where one fits, what was probably meant.
    public var message: String
    /// A stable machine-readable identifier, such as `unknown-key` or `yaml-syntax`.
    public var code: String

    /// Creates a diagnostic.
    public init(_ severity: Severity, _ code: String, at location: SourceLocation?, _ message: String) {
        self.severity = severity
        self.code = code
        self.location = location
        self.message = message
    }

    /// An error at a location.
    public static func error(_ code: String, at location: SourceLocation?, _ message: String) -> Diagnostic {
        Diagnostic(.error, code, at: location, message)
    }

    /// A warning at a location.
    public static func warning(_ code: String, at location: SourceLocation?, _ message: String) -> Diagnostic {
        Diagnostic(.warning, code, at: location, message)
    }

    /// `file:line:col: error: message`, or `error: message` without a location.
    public var description: String {
        if let location {
            return "\(location): \(severity.rawValue): \(message)"
        }
        return "\(severity.rawValue): \(message)"
    }
}

extension Diagnostic: Comparable {
    /// Orders by location (diagnostics without one first), then severity, then message.
    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        switch (lhs.location, rhs.location) {
        case (nil, .some): return true
        case (.some, nil): return false
        case let (l?, r?) where l != r: return l < r
        default:
            if lhs.severity != rhs.severity { return lhs.severity > rhs.severity }
            return lhs.message < rhs.message
        }
    }
}

extension Sequence where Element == Diagnostic {
    /// True when any element is an error.
    public var containsErrors: Bool { contains { $0.severity == .error } }
}
