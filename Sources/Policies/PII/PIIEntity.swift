/// One finding: a type and a half-open range of Unicode-scalar offsets into the original text.
public struct PIIEntity: Hashable, Sendable, CustomStringConvertible {
    /// What was found.
    public var type: PIIType
    /// Offset of the first scalar (counting Unicode scalars from 0).
    public var start: Int
    /// Offset one past the last scalar.
    public var end: Int

    /// Creates a finding.
    public init(type: PIIType, start: Int, end: Int) {
        self.type = type
        self.start = start
        self.end = end
    }

    /// `type[start, end)`, for test failures.
    public var description: String { "\(type.rawValue)[\(start),\(end))" }
}
