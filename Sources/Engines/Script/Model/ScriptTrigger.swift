import Personality

/// A trigger of a rule (or its `after:` pattern), compiled, with where it was written.
public struct ScriptTrigger: Hashable, Sendable {
    /// The compiled pattern (its `text` is what the author wrote).
    public var pattern: Pattern
    /// Where the trigger is written.
    public var location: SourceLocationBox

    /// Creates a trigger.
    public init(pattern: Pattern, location: SourceLocationBox) {
        self.pattern = pattern
        self.location = location
    }
}
