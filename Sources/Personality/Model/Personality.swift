/// One bot personality, decoded and validated from an author's YAML file.
///
/// Immutable once built: a registry snapshot holds personalities by value, so a session that
/// started on one version keeps it even after a reload swaps in another.
public struct Personality: Sendable, Identifiable {
    /// Unique, lowercase `[a-z0-9-]`, starting with a letter; at most 64 characters.
    public var id: String
    /// Display name.
    public var name: String
    /// One or two sentences for people choosing a personality.
    public var description: String
    /// Free-form labels used by routing filters (`fun`, `support`, `en`).
    public var tags: [String]
    /// Language of the personality's replies (`en`, `de`, `pt-BR`), used by routing filters.
    public var language: String
    /// The tenant this personality belongs to, if it is not shared by all.
    public var tenant: String?
    /// Engine names in order: the first engine that answers wins.
    public var engines: [String]
    /// What the bot says when a session starts; one is picked per session.
    public var greetings: [String]
    /// What the bot says when a session ends because of a limit or the user leaving.
    public var farewells: [String]
    /// Which response-limit rule set applies, with inline overrides.
    public var limits: LimitsReference
    /// Streaming cadence.
    public var stream: StreamSettings
    /// Response-cache settings.
    public var cache: CacheSettings
    /// PII-scrubbing settings.
    public var pii: PIISettings
    /// Each engine's own configuration, by engine name.
    public var engineSections: [String: any EngineSection]
    /// The author's expected conversations, run by `persona test`.
    public var tests: [PersonalityTest]
    /// Where the personality was defined.
    public var source: PersonalitySource
    /// Content hash of the file: changes whenever the file does.
    public var version: PersonalityVersion

    /// Creates a personality (decoders and tests use this; authors write YAML).
    public init(
        id: String, name: String, description: String = "", tags: [String] = [], language: String = "en",
        tenant: String? = nil, engines: [String], greetings: [String] = [], farewells: [String] = [],
        limits: LimitsReference = LimitsReference(), stream: StreamSettings = StreamSettings(),
        cache: CacheSettings = CacheSettings(), pii: PIISettings = PIISettings(),
        engineSections: [String: any EngineSection] = [:], tests: [PersonalityTest] = [],
        source: PersonalitySource, version: PersonalityVersion
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.tags = tags
        self.language = language
        self.tenant = tenant
        self.engines = engines
        self.greetings = greetings
        self.farewells = farewells
        self.limits = limits
        self.stream = stream
        self.cache = cache
        self.pii = pii
        self.engineSections = engineSections
        self.tests = tests
        self.source = source
        self.version = version
    }

    /// The section decoded by `engine`, cast to the engine's own type.
    public func section<Section: EngineSection>(for engine: String, as type: Section.Type = Section.self) -> Section? {
        engineSections[engine] as? Section
    }
}
