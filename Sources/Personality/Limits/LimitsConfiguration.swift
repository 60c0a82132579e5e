/// Everything `limits.yaml` says: named rule sets, the rules that pick one, and the default.
public struct LimitsConfiguration: Hashable, Sendable {
    /// Rule sets by name.
    public var sets: [String: LimitRuleSet]
    /// Selection rules, tried in order.
    public var rules: [LimitSelector]
    /// The set used when a personality names none and no rule matches.
    public var defaultSet: String?

    /// Creates a configuration.
    public init(sets: [String: LimitRuleSet] = [:], rules: [LimitSelector] = [], defaultSet: String? = nil) {
        self.sets = sets
        self.rules = rules
        self.defaultSet = defaultSet
    }

    /// The limits file used when a directory has none: one `default` set with no limits.
    public static let unlimited = LimitsConfiguration()

    /// The fully merged values of set `name` (following `extends:`), or `nil` if undefined.
    /// Cycles are refused by validation, and this stops after visiting every set once anyway.
    public func resolvedValues(of name: String) -> LimitValues? {
        var chain: [LimitRuleSet] = []
        var next: String? = name
        while let current = next, chain.count <= sets.count, let set = sets[current] {
            chain.append(set)
            next = set.extends
        }
        guard !chain.isEmpty else { return nil }
        return chain.reversed().reduce(LimitValues()) { $0.overridden(by: $1.values) }
    }

    /// The limits that apply to `personality` for a client of `tier`: the personality's named
    /// set if it names one, else the first matching rule's set, else the default set; then
    /// the personality's inline overrides.
    public func limits(for personality: Personality, tier: String? = nil) -> LimitValues {
        let setName =
            personality.limits.setName
            ?? rules.first { $0.matches(personalityID: personality.id, tier: tier) }?.use
            ?? defaultSet
        let base = setName.flatMap { resolvedValues(of: $0) } ?? LimitValues()
        return base.overridden(by: personality.limits.overrides)
    }
}
