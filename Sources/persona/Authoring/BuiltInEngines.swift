import Engines
import Personality

/// The engines this build of `persona` knows: the registry that runs them and the catalog the
/// loader decodes their sections with. One place, so `validate`, `test`, `list` and the
/// server always agree on what an engine name means.
enum BuiltInEngines {
    /// Every built-in engine.
    static var registry: EngineRegistry { EngineRegistry.builtIn }

    /// Every built-in engine's section decoder.
    static var catalog: EngineCatalog { registry.catalog }
}
