import Diagnostics
import Personality
import YAML

/// Decodes and checks the `llm:` section.
public struct LLMSectionDecoder: EngineSectionDecoder {
    /// Most few-shot examples.
    public static let maxExamples = 64
    /// Most earlier exchanges sent along.
    public static let maxHistoryTurns = 200
    /// Longest system prompt, in characters.
    public static let maxSystemCharacters = 100_000

    /// `llm`.
    public var engineName: String { "llm" }

    /// Creates the decoder.
    public init() {}

    /// Decodes the section, reporting every problem with its location.
    public func decodeSection(_ node: YAMLNode, context: inout DecodingContext) -> (any EngineSection)? {
        guard var fields = MappingFields(node, "llm", context: &context) else { return nil }
        let upstreamNode = fields.required("upstream", in: "llm", context: &context)
        let upstream = upstreamNode.flatMap { context.nonEmptyString($0, "upstream") }
        var system = ""
        if let systemNode = fields.value("system"), let text = context.string(systemNode, "system") {
            if text.count > Self.maxSystemCharacters {
                context.error("too-long", at: systemNode, "'system' is longer than \(Self.maxSystemCharacters) characters")
            }
            for problem in PromptTemplate.unknownPlaceholders(in: text) {
                var message = "unknown placeholder '{\(problem)}' in 'system'"
                if let near = Suggestion.closest(to: problem, among: PromptTemplate.variables) {
                    message += "; did you mean '{\(near)}'?"
                }
                message += " (known: \(PromptTemplate.variables.map { "{\($0)}" }.joined(separator: ", ")))"
                context.error("unknown-placeholder", at: systemNode, message)
            }
            system = text
        }
        var examples: [LLMSection.Example] = []
        if let examplesNode = fields.value("examples"), let items = context.list(examplesNode, "examples") {
            if items.count > Self.maxExamples {
                context.error("too-many", at: examplesNode, "at most \(Self.maxExamples) examples")
            }
            for item in items.prefix(Self.maxExamples) {
                guard var example = MappingFields(item, "example", context: &context) else { continue }
                let user = example.required("user", in: "example", context: &context).flatMap {
                    context.nonEmptyString($0, "user")
                }
                let assistant = example.required("assistant", in: "example", context: &context).flatMap {
                    context.nonEmptyString($0, "assistant")
                }
                example.reportUnknownKeys(in: "example", context: &context)
                if let user, let assistant { examples.append(.init(user: user, assistant: assistant)) }
            }
        }
        let temperature = fields.double("temperature", range: 0...2, context: &context)
        let topP = fields.double("top_p", range: 0...1, context: &context)
        let maxTokens = fields.int("max_tokens", range: 1...100_000, context: &context)
        var stop: [String] = []
        if let stopNode = fields.value("stop") {
            if let single = stopNode.scalar?.text, stopNode.sequence == nil {
                stop = [single]
            } else if let list = context.strings(stopNode, "stop") {
                stop = list
            }
            if stop.count > 4 { context.error("too-many", at: stopNode, "at most 4 stop sequences") }
            if stop.contains(where: \.isEmpty) { context.error("empty", at: stopNode, "a stop sequence is empty") }
        }
        let historyTurns = fields.int("history_turns", range: 0...Self.maxHistoryTurns, context: &context) ?? 10
        var fallback: [String] = []
        if let fallbackNode = fields.value("fallback") {
            if let single = fallbackNode.scalar?.text, fallbackNode.sequence == nil {
                fallback = [single]
            } else if let list = context.strings(fallbackNode, "fallback") {
                fallback = list
            }
        }
        fields.reportUnknownKeys(in: "llm", context: &context)
        guard let upstream, let upstreamNode else { return nil }
        return LLMSection(
            upstreamName: upstream, upstreamNameLocation: SourceLocationBox(upstreamNode.location), system: system,
            examples: examples, temperature: temperature, topP: topP, maxTokens: maxTokens, stop: stop,
            historyTurns: historyTurns, fallback: fallback)
    }
}
