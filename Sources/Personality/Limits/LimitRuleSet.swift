/// A named set of response limits from `limits.yaml`, possibly extending another set.
public struct LimitRuleSet: Hashable, Sendable {
    /// The set's name (the key under `sets:`).
    public var name: String
    /// The set this one extends, if any: unset values come from it.
    public var extends: String?
    /// The values written in this set (not yet merged with the extended set).
    public var values: LimitValues
    /// Where the set is defined.
    public var location: SourceLocationBox

    /// Creates a rule set.
    public init(name: String, extends: String? = nil, values: LimitValues, location: SourceLocationBox) {
        self.name = name
        self.extends = extends
        self.values = values
        self.location = location
    }
}
