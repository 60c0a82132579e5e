/// Everything the server serves from, frozen: all personalities, the limits and the routing
/// rules, as one immutable value. A reload builds a new snapshot beside the old one and swaps
/// it in whole; a reader holding a snapshot never sees a mix of two.
public final class RegistrySnapshot: Sendable {
    /// Personalities sorted by id.
    public let personalities: [Personality]
    /// Response-limit rules.
    public let limits: LimitsConfiguration
    /// Routing rules.
    public let routing: RoutingRules
    /// The LLM upstreams of `upstreams.yaml`.
    public let upstreams: UpstreamsConfiguration
    /// The support-widget deployments of `deployments.yaml`, by key.
    public let deployments: [String: WidgetDeployment]
    /// A hash over every personality's version and the rule files' content: equal
    /// snapshots have equal versions.
    public let version: PersonalityVersion
    private let index: [String: Int]

    /// Creates a snapshot. Personalities must have distinct ids (the builder guarantees it).
    public init(personalities: [Personality], limits: LimitsConfiguration, routing: RoutingRules, ruleFilesVersion: PersonalityVersion = PersonalityVersion(0), upstreams: UpstreamsConfiguration = .none,
        deployments: [String: WidgetDeployment] = [:]
    ) {
        let sorted = personalities.sorted { $0.id < $1.id }
        self.personalities = sorted
        self.limits = limits
        self.routing = routing
        self.upstreams = upstreams
        self.deployments = deployments
        var index: [String: Int] = [:]
        for (position, personality) in sorted.enumerated() { index[personality.id] = position }
        self.index = index
        var digest: [UInt8] = []
        for personality in sorted {
            digest.append(contentsOf: personality.id.utf8)
            withUnsafeBytes(of: personality.version.value.littleEndian) { digest.append(contentsOf: $0) }
        }
        withUnsafeBytes(of: ruleFilesVersion.value.littleEndian) { digest.append(contentsOf: $0) }
        self.version = PersonalityVersion(of: digest)
    }

    /// An empty snapshot (no personalities, no limits, default routing).
    public static let empty = RegistrySnapshot(personalities: [], limits: .unlimited, routing: RoutingRules())

    /// The personality with `id`, if any.
    public func personality(_ id: String) -> Personality? {
        index[id].map { personalities[$0] }
    }

    /// The personality ids, sorted.
    public var ids: [String] { personalities.map(\.id) }

    /// The limits that apply to `personality` for a client of `tier`.
    public func limits(for personality: Personality, tier: String? = nil) -> LimitValues {
        limits.limits(for: personality, tier: tier)
    }
}
