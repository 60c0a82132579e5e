/// A structured value in a log record. Strings are scrubbed for PII at the sink; numbers and
/// booleans cannot carry personal data and pass through.
public enum LogValue: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByFloatLiteral, CustomStringConvertible
{
    /// Text (scrubbed at the sink).
    case string(String)
    /// An integer.
    case int(Int64)
    /// A floating-point number.
    case double(Double)
    /// A boolean.
    case bool(Bool)

    /// Creates a string value.
    public init(stringLiteral value: String) { self = .string(value) }
    /// Creates an integer value.
    public init(integerLiteral value: Int64) { self = .int(value) }
    /// Creates a boolean value.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// Creates a floating-point value.
    public init(floatLiteral value: Double) { self = .double(value) }

    /// An integer value from any integer.
    public static func int(_ value: some BinaryInteger) -> LogValue { .int(Int64(clamping: value)) }

    /// The value as plain text (what logfmt writes before quoting).
    public var description: String {
        switch self {
        case .string(let text): text
        case .int(let value): String(value)
        case .double(let value): value.isFinite ? String(value) : "null"
        case .bool(let value): value ? "true" : "false"
        }
    }
}
