import Diagnostics
import Personality

/// The decoded, validated and compiled `script:` section of a personality.
///
/// Compiled once when the personality loads: triggers are parsed and each topic's rules are
/// sorted and indexed (``ScriptBrain``), so answering a message does no parsing.
public struct ScriptSection: EngineSection, Hashable {
    /// Input substitutions.
    public var substitutions: PhraseTable
    /// Person substitutions for `{person …}`.
    public var person: PhraseTable
    /// Arrays by name.
    public var arrays: [String: [String]]
    /// Bot variables.
    public var variables: [String: String]
    /// Topics by name (always contains `random`).
    public var topics: [String: ScriptTopic]
    /// Replies when nothing matches; empty means the engine declines.
    public var fallback: [WeightedTemplate]
    /// Limits.
    public var configuration: ScriptConfiguration
    /// The compiled matcher.
    public var brain: ScriptBrain

    /// The input normaliser built from the substitutions.
    public var normalizer: InputNormalizer { InputNormalizer(substitutions: substitutions) }

    /// Creates a section and compiles its matcher.
    public init(
        substitutions: PhraseTable = PhraseTable(), person: PhraseTable = PhraseTable(),
        arrays: [String: [String]] = [:], variables: [String: String] = [:], topics: [String: ScriptTopic],
        fallback: [WeightedTemplate] = [], configuration: ScriptConfiguration = ScriptConfiguration()
    ) {
        self.substitutions = substitutions
        self.person = person
        self.arrays = arrays
        self.variables = variables
        var topics = topics
        if topics[ScriptTopic.defaultName] == nil {
            topics[ScriptTopic.defaultName] = ScriptTopic(
                name: ScriptTopic.defaultName, includes: [], inherits: [], rules: [],
                location: SourceLocationBox(.init(file: "", line: 0, column: 0)))
        }
        self.topics = topics
        self.fallback = fallback
        self.configuration = configuration
        self.brain = ScriptBrain(topics: topics)
    }

    /// Every rule, in file order.
    public var allRules: [ScriptRule] {
        topics.values.flatMap(\.rules).sorted { $0.order < $1.order }
    }
}
