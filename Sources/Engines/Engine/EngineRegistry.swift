import Personality

/// The engines the server knows, by name. The loader's ``EngineCatalog`` (section decoders) is
/// derived from it, so an engine is registered once and both decoding and answering find it.
public struct EngineRegistry: Sendable {
    /// Engines by name.
    public private(set) var engines: [String: any Engine] = [:]

    /// Creates a registry; a later engine with the same name replaces an earlier one.
    public init(_ engines: [any Engine] = []) {
        for engine in engines { register(engine) }
    }

    /// The built-in engines that need no configuration outside the personality file.
    public static var builtIn: EngineRegistry { EngineRegistry([ScriptEngine(), LLMEngine(), ProcessEngine()]) }

    /// Adds or replaces an engine.
    public mutating func register(_ engine: any Engine) {
        engines[engine.name] = engine
    }

    /// The engine called `name`.
    public subscript(name: String) -> (any Engine)? { engines[name] }

    /// Registered names, sorted.
    public var names: [String] { engines.keys.sorted() }

    /// The section decoders of every registered engine, for the personality loader.
    public var catalog: EngineCatalog { EngineCatalog(engines.values.map(\.sectionDecoder)) }

    /// The engines of `personality`, in its order, ready to answer a session.
    public func chain(for personality: Personality, session: EngineSessionContext) throws(EngineError)
        -> EngineChain
    {
        var links: [EngineChain.Link] = []
        for name in personality.engines {
            guard let engine = engines[name] else { throw .unknownEngine(name) }
            links.append(
                EngineChain.Link(engine: engine, state: engine.makeState(for: personality, session: session)))
        }
        return EngineChain(personality: personality, links: links)
    }
}
