import Diagnostics
import Personality
import YAML

/// Decodes the `script:` section of a personality file (the format is fixed in
/// SCRIPT-FORMAT.md), compiling every trigger and template and reporting each problem with its
/// exact location. ``lint(_:of:context:)`` then checks the whole script for rules that can never
/// answer, unreachable topics, variables never set and redirect cycles.
public struct ScriptSectionDecoder: EngineSectionDecoder {
    /// `script`.
    public let engineName = "script"

    /// Creates the decoder.
    public init() {}

    /// The keys a `script:` section accepts.
    public static let sectionKeys = [
        "substitutions", "person", "arrays", "variables", "globals", "compat", "begin", "rules", "topics",
        "fallback", "max_redirect_depth", "max_match_steps",
    ]

    /// The keys a rule accepts.
    public static let ruleKeys = [
        "match", "after", "reply", "conditions", "redirect", "set", "topic", "weight",
    ]

    /// Decodes and compiles the section.
    public func decodeSection(_ node: YAMLNode, context: inout DecodingContext) -> (any EngineSection)? {
        var reader = ScriptSectionReader()
        return reader.read(node, context: &context)
    }

    /// Runs ``ScriptLinter`` over the decoded section.
    public func lint(
        _ section: any EngineSection, of personality: Personality, context: inout DecodingContext
    ) {
        guard let section = section as? ScriptSection else { return }
        ScriptLinter(section: section, personality: personality).run(context: &context)
    }
}
