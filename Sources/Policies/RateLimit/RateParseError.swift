/// Why a rate string such as `"30/min"` was rejected.
public enum RateParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The string was empty or only whitespace.
    case empty
    /// There was no `/` between the count and the period.
    case missingSlash
    /// The count was not a positive decimal integer (the offending text is attached).
    case invalidCount(String)
    /// The count exceeded ``Rate/maximumCount``.
    case countTooLarge(String)
    /// The period's multiplier was not a positive decimal integer or was too large.
    case invalidPeriod(String)
    /// The unit was not one of `ms`, `s`, `min`, `h`, `d` (or their long forms).
    case unknownUnit(String)

    /// A message fit for `file:line:column: message`.
    public var description: String {
        switch self {
        case .empty: "rate is empty; expected e.g. \"30/min\""
        case .missingSlash: "rate needs a '/', e.g. \"30/min\" or \"5/s\""
        case .invalidCount(let text): "rate count '\(text)' is not a positive whole number"
        case .countTooLarge(let text): "rate count '\(text)' is larger than \(Rate.maximumCount)"
        case .invalidPeriod(let text): "rate period '\(text)' is not a positive whole number of units"
        case .unknownUnit(let text):
            "unknown rate unit '\(text)'; use ms, s, min, h or d (or second, minute, hour, day)"
        }
    }
}
