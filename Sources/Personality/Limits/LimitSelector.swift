/// One entry of `limits.yaml`'s `rules:` list: which set applies to which personalities and
/// client tiers. Rules are tried in order; the first whose filters all match wins.
public struct LimitSelector: Hashable, Sendable {
    /// Personality id, or a prefix pattern ending in `*` (`support-*`); `nil` matches all.
    public var personality: String?
    /// Client tier (`free`, `premium`, …); `nil` matches all.
    public var tier: String?
    /// The set to use.
    public var use: String
    /// Where the rule is defined.
    public var location: SourceLocationBox

    /// Creates a selector.
    public init(personality: String? = nil, tier: String? = nil, use: String, location: SourceLocationBox) {
        self.personality = personality
        self.tier = tier
        self.use = use
        self.location = location
    }

    /// True when this rule applies to `personalityID` and `tier`.
    public func matches(personalityID: String, tier: String?) -> Bool {
        if let pattern = personality {
            if pattern.hasSuffix("*") {
                guard personalityID.hasPrefix(pattern.dropLast()) else { return false }
            } else if pattern != personalityID {
                return false
            }
        }
        if let wanted = self.tier, wanted != tier { return false }
        return true
    }
}
