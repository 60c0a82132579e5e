import Diagnostics

/// What text an option or argument accepts; checked during validation, before a command runs,
/// so `run` only ever sees well-formed values.
public enum ValueType: Sendable, Hashable {
    /// Any text.
    case string
    /// A decimal integer within the range (inclusive).
    case integer(ClosedRange<Int>)
    /// A finite decimal number within the range (inclusive).
    case number(ClosedRange<Double>)
    /// One of a fixed set of words, listed in help and in errors.
    case choice([String])
    /// A duration within the range (inclusive), written as in personality files (`500ms`,
    /// `10s`, `1m30s`, see ``DurationText``) or as a bare number of seconds (`2.5`).
    case duration(ClosedRange<Duration>)

    /// Any integer that fits in `Int`.
    public static var int: ValueType { .integer(Int.min...Int.max) }

    /// An integer within `range`.
    public static func int(_ range: ClosedRange<Int>) -> ValueType { .integer(range) }

    /// Any finite number.
    public static var double: ValueType {
        .number(-Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude)
    }

    /// A finite number within `range`.
    public static func double(_ range: ClosedRange<Double>) -> ValueType { .number(range) }

    /// The raw values of a string-backed enum, in declaration order.
    public static func choice<E: CaseIterable & RawRepresentable>(of type: E.Type) -> ValueType
    where E.RawValue == String {
        .choice(type.allCases.map(\.rawValue))
    }

    /// Checks `text` against this type; `nil` when it is acceptable.
    package func problem(with text: String) -> ValueProblem? {
        switch self {
        case .string:
            return nil
        case .integer(let range):
            guard let value = Int(text) else { return .notAnInteger }
            return range.contains(value) ? nil : .outOfRange(rangeDescription)
        case .number(let range):
            guard let value = Double(text), value.isFinite else { return .notANumber }
            return range.contains(value) ? nil : .outOfRange(rangeDescription)
        case .choice(let allowed):
            if allowed.contains(text) { return nil }
            return .notAChoice(allowed, suggestion: Suggestion.closest(to: text, among: allowed))
        case .duration(let range):
            guard let value = Self.duration(text) else { return .notADuration }
            return range.contains(value) ? nil : .outOfRange(rangeDescription)
        }
    }

    /// Reads a duration option's text: ``DurationText`` (`10s`), or a bare number of seconds.
    package static func duration(_ text: String) -> Duration? {
        if let seconds = Double(text) {
            guard seconds.isFinite, abs(seconds) < 1e12 else { return nil }
            return .milliseconds(Int64((seconds * 1000).rounded()))
        }
        return DurationText.parse(text)
    }

    /// The range as shown in help and errors, or `nil` when the type is unbounded.
    package var rangeDescription: String {
        switch self {
        case .integer(let range) where range != Int.min...Int.max:
            if range.upperBound == Int.max { return "at least \(range.lowerBound)" }
            if range.lowerBound == Int.min { return "at most \(range.upperBound)" }
            return "\(range.lowerBound)...\(range.upperBound)"
        case .number(let range)
        where range != -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude:
            if range.upperBound == .greatestFiniteMagnitude { return "at least \(range.lowerBound)" }
            if range.lowerBound == -.greatestFiniteMagnitude { return "at most \(range.upperBound)" }
            return "\(range.lowerBound)...\(range.upperBound)"
        case .duration(let range):
            return "\(DurationText.format(range.lowerBound))...\(DurationText.format(range.upperBound))"
        default:
            return ""
        }
    }
}
