/// One candidate reply and its weight in a random pick.
public struct WeightedTemplate: Hashable, Sendable {
    /// The reply.
    public var template: Template
    /// Relative weight (≥ 1).
    public var weight: Int

    /// Creates a candidate.
    public init(_ template: Template, weight: Int = 1) {
        self.template = template
        self.weight = weight
    }
}
