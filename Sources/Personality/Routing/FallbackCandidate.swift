/// A personality that may serve a random session nobody matched, with a weight for the
/// random pick and the tenants it serves.
public struct FallbackCandidate: Hashable, Sendable {
    /// The personality id.
    public var personality: String
    /// Relative chance of being picked among the candidates that pass the filters (≥ 1).
    public var weight: Int
    /// Tenants this candidate serves; empty means every tenant.
    public var tenants: [String]
    /// Where the candidate is defined.
    public var location: SourceLocationBox

    /// Creates a candidate.
    public init(personality: String, weight: Int = 1, tenants: [String] = [], location: SourceLocationBox) {
        self.personality = personality
        self.weight = weight
        self.tenants = tenants
        self.location = location
    }
}
