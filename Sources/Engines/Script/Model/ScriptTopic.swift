import Personality

/// A topic: its own rules, and the topics it includes (matched as equals) or inherits (tried
/// after its own rules fail).
public struct ScriptTopic: Hashable, Sendable {
    /// The topic's name; the default topic is `random`.
    public var name: String
    /// Topics whose rules are matched as if they were this topic's.
    public var includes: [String]
    /// Topics tried, in order, only after this topic's rules (and includes') fail.
    public var inherits: [String]
    /// The topic's own rules, in file order.
    public var rules: [ScriptRule]
    /// Where the topic is defined.
    public var location: SourceLocationBox

    /// The default topic's name.
    public static let defaultName = "random"
    /// The name the `begin:` hook's rules are compiled under; no rule can switch to it.
    public static let beginName = "__begin__"
}
