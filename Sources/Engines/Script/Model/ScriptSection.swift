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
    /// Global variables (`globals:`; `{env name}`).
    public var globals: [String: String]
    /// The request hook (`begin:`): rules matched against the word `request` before every
    /// message; a reply with `{ok}` lets the normal reply take that place, one without answers
    /// instead. Empty when there is no hook.
    public var begin: [ScriptRule]
    /// Persona's own behaviour or RiveScript's (`compat:`).
    public var compatibility: ScriptCompatibility
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
        arrays: [String: [String]] = [:], variables: [String: String] = [:], globals: [String: String] = [:],
        topics: [String: ScriptTopic], begin: [ScriptRule] = [], fallback: [WeightedTemplate] = [],
        configuration: ScriptConfiguration = ScriptConfiguration(), compatibility: ScriptCompatibility = .persona
    ) {
        self.substitutions = substitutions
        self.person = person
        self.arrays = arrays
        self.variables = variables
        self.globals = globals
        self.begin = begin
        self.compatibility = compatibility
        var topics = topics
        if topics[ScriptTopic.defaultName] == nil {
            topics[ScriptTopic.defaultName] = ScriptTopic(
                name: ScriptTopic.defaultName, includes: [], inherits: [], rules: [],
                location: SourceLocationBox(.init(file: "", line: 0, column: 0)))
        }
        self.topics = topics
        self.fallback = fallback
        self.configuration = configuration
        var compiled = topics
        if !begin.isEmpty {
            compiled[ScriptTopic.beginName] = ScriptTopic(
                name: ScriptTopic.beginName, includes: [], inherits: [], rules: begin,
                location: begin[0].location)
        }
        self.brain = ScriptBrain(topics: compiled)
    }

    /// Every rule, in file order (the `begin:` hook's included).
    public var allRules: [ScriptRule] {
        (topics.values.flatMap(\.rules) + begin).sorted { $0.order < $1.order }
    }
}
