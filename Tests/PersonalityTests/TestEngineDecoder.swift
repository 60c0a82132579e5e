import Diagnostics
import Personality
import YAML

/// A minimal engine for registry tests: its section must be a mapping with a `reply` string.
/// Stands in for real engines so these tests exercise only the core's decoding.
struct TestEngineDecoder: EngineSectionDecoder {
    struct Section: EngineSection {
        var reply: String
    }

    var engineName: String

    func decodeSection(_ node: YAMLNode, context: inout DecodingContext) -> (any EngineSection)? {
        guard var fields = MappingFields(node, engineName, context: &context) else { return nil }
        let reply = fields.required("reply", in: "'\(engineName)' section", context: &context).flatMap { context.string($0, "reply") }
        fields.reportUnknownKeys(in: "'\(engineName)' section", context: &context)
        return reply.map(Section.init)
    }
}

extension RegistryBuilder {
    /// A builder knowing the test engines `script` and `echo`.
    static let testing = RegistryBuilder(catalog: EngineCatalog([TestEngineDecoder(engineName: "script"), TestEngineDecoder(engineName: "echo")]))
}

/// A valid personality file with `replacing` lines swapped in, for one-problem-per-test fixtures.
func personalityYAML(id: String = "captain", extra: String = "") -> String {
    """
    id: \(id)
    name: Captain
    description: A test pirate.
    engine: script
    script:
      reply: Arr!
    \(extra)
    """
}

/// Builds one file and returns its diagnostics rendered as text.
func diagnostics(of text: String, name: String = "p.yaml", builder: RegistryBuilder = .testing) -> [String] {
    builder.build([SourceFile(name: name, text: text)]).diagnostics.map(\.description)
}
