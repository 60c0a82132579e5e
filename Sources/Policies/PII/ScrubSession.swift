/// The placeholder mapping of one chat session: the same value always becomes the same
/// placeholder (`<EMAIL_1>`), different values get the next number of their type.
///
/// Values are compared in a canonical form (e-mail lowercased; phone, card, IBAN and SSN
/// reduced to their letters and digits), so `+1 555-123-4567` and `+1 (555) 123 4567` share
/// a placeholder. The mapping holds raw PII, so it lives in memory only and dies with the session.
public struct ScrubSession: Sendable {
    private var numbers: [String: Int] = [:]
    private var nextNumber = [Int](repeating: 1, count: PIIType.allCases.count)

    /// Creates an empty session.
    public init() {}

    /// How many distinct values have been given placeholders.
    public var count: Int { numbers.count }

    /// The placeholder for `value` of `type`, assigning the next number on first sight.
    public mutating func placeholder(for type: PIIType, value: Substring) -> String {
        let key = type.rawValue + "\u{0}" + ScrubSession.canonical(type: type, value: value)
        let number: Int
        if let known = numbers[key] {
            number = known
        } else {
            number = nextNumber[type.ordinal]
            nextNumber[type.ordinal] += 1
            numbers[key] = number
        }
        return "<\(type.label)_\(number)>"
    }

    static func canonical(type: PIIType, value: Substring) -> String {
        switch type {
        case .email: return value.lowercased()
        case .phone, .creditCard, .iban, .ssn:
            let kept = value.unicodeScalars.filter {
                $0.properties.numericType != nil || $0.properties.isAlphabetic
            }
            var digits = ""
            for scalar in kept {
                if let numeric = scalar.properties.numericValue, scalar.properties.numericType == .decimal {
                    digits.append(String(Int(numeric)))
                } else {
                    digits.unicodeScalars.append(scalar)
                }
            }
            return digits.uppercased()
        default: return String(value)
        }
    }
}
