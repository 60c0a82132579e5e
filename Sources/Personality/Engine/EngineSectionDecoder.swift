import YAML

/// The part of an engine plugin that understands its section of a personality file.
///
/// The loader hands each engine the node under its name (`script:` for the `script` engine)
/// and a context to report into; the engine validates its own rules with exact locations.
/// After the whole personality is decoded, ``lint(_:of:context:)`` may check references
/// that need the rest of the personality (and report warnings such as shadowed rules).
public protocol EngineSectionDecoder: Sendable {
    /// The engine's name, as written in `engine:` and as the section's key.
    var engineName: String { get }

    /// True when a personality using this engine must have a section for it.
    var requiresSection: Bool { get }

    /// Decodes and validates the engine's section, reporting problems into `context`;
    /// returns `nil` only when the section is unusable.
    func decodeSection(_ node: YAMLNode, context: inout DecodingContext) -> (any EngineSection)?

    /// Checks the decoded section against the whole personality (cross-references, lint).
    func lint(_ section: any EngineSection, of personality: Personality, context: inout DecodingContext)
}

extension EngineSectionDecoder {
    /// Engines need a section unless they say otherwise.
    public var requiresSection: Bool { true }

    /// No lint by default.
    public func lint(_ section: any EngineSection, of personality: Personality, context: inout DecodingContext) {}
}
