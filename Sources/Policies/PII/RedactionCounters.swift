/// How many spans of each type have been replaced, for `/metrics`.
public struct RedactionCounters: Hashable, Sendable {
    private var counts = [Int](repeating: 0, count: PIIType.allCases.count)

    /// Creates zeroed counters.
    public init() {}

    /// Replacements of `type` so far.
    public subscript(type: PIIType) -> Int {
        counts[type.ordinal]
    }

    /// All replacements.
    public var total: Int { counts.reduce(0, +) }

    /// Counts one occurrence of `type`.
    public mutating func count(_ type: PIIType) {
        counts[type.ordinal] += 1
    }

    /// Adds another set of counters (e.g. a finished stream's) into this one.
    public mutating func add(_ other: RedactionCounters) {
        for index in counts.indices { counts[index] += other.counts[index] }
    }
}
