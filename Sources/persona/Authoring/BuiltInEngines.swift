import Personality

/// The engines this build of `persona` knows, as the loader's catalog.
///
/// Until the `script` engine is merged this catalog is empty, so every personality fails
/// validation with "no engine named 'script'"; the engine registry replaces it.
enum BuiltInEngines {
    /// Every built-in engine's section decoder.
    static var catalog: EngineCatalog { EngineCatalog([]) }
}
