/// Why a value was refused: the typed detail inside ``UsageError/invalidValue(_:for:problem:)``.
public enum ValueProblem: Sendable, Hashable {
    /// The text is not a decimal integer (or does not fit in `Int`).
    case notAnInteger
    /// The text is not a finite decimal number.
    case notANumber
    /// The number is outside the declared range, described as in help (`1...65535`).
    case outOfRange(String)
    /// The word is not one of the allowed values; `suggestion` is the nearest allowed one.
    case notAChoice([String], suggestion: String?)
    /// The text is neither a duration such as `10s` nor a number of seconds.
    case notADuration
    /// An environment variable for a flag is not one of `1 true yes on 0 false no off`.
    case notABoolean

    /// The sentence after "Invalid value 'x' for '--y': ".
    public var explanation: String {
        switch self {
        case .notAnInteger: return "expected an integer."
        case .notANumber: return "expected a number."
        case .outOfRange(let range):
            return range.hasPrefix("at ") ? "expected a value \(range)." : "expected a value in \(range)."
        case .notAChoice(let allowed, let suggestion):
            let list = "expected one of: \(allowed.joined(separator: ", "))."
            guard let suggestion else { return list }
            return "\(list) Did you mean '\(suggestion)'?"
        case .notADuration: return "expected a duration such as 500ms, 10s, 5m or 1h30m (a bare number is seconds)."
        case .notABoolean: return "expected true or false."
        }
    }
}
