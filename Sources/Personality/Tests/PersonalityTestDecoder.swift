import Foundation
import YAML

/// Decodes a personality's `tests:` list: one-turn tests (`say` + `expect…` at the top) and
/// multi-turn tests (`conversation:` with a list of turns), each with an optional `name`,
/// `seed` and `given:` (the state the session starts in). In a conversation, a turn without
/// `say` only checks `vars` and `topic` — before the first message, for example.
public enum PersonalityTestDecoder {
    /// Decodes the list; invalid entries are reported and skipped.
    public static func decode(_ node: YAMLNode, context: inout DecodingContext) -> [PersonalityTest]? {
        guard let items = context.list(node, "tests") else { return nil }
        var tests: [PersonalityTest] = []
        for item in items {
            guard var fields = MappingFields(item, "test", context: &context) else { continue }
            let name = fields.string("name", context: &context)
            let seed = fields.value("seed").flatMap { context.int($0, "seed", range: 0...Int.max) }.map(UInt64.init)
            let scene = fields.value("given").flatMap { decodeScene($0, context: &context) }
            var turns: [PersonalityTestTurn] = []
            if fields.contains("conversation") {
                if fields.contains("say") {
                    context.error("conflicting-keys", at: item, "a test has either 'say' (one turn) or 'conversation' (several turns), not both")
                }
                if let list = fields.value("conversation").flatMap({ context.list($0, "conversation") }) {
                    for turnNode in list {
                        guard var turnFields = MappingFields(turnNode, "turn", context: &context) else { continue }
                        if let turn = decodeTurn(&turnFields, at: turnNode, sayOptional: true, context: &context) {
                            turns.append(turn)
                        }
                        turnFields.reportUnknownKeys(in: "test turn", context: &context)
                    }
                }
            } else if let turn = decodeTurn(&fields, at: item, context: &context) {
                turns.append(turn)
            }
            fields.reportUnknownKeys(
                in: "test",
                known: ["name", "seed", "given", "conversation", "say", "expect", "expect_one_of", "expect_match", "vars", "topic"],
                context: &context)
            guard !turns.isEmpty else {
                if !fields.contains("say") && !fields.contains("conversation") {
                    context.error("missing-key", at: item, "test needs 'say' (one turn) or 'conversation' (several turns)")
                }
                continue
            }
            tests.append(
                PersonalityTest(
                    name: name ?? turns.first(where: { $0.say != nil })?.say ?? "checks", seed: seed, scene: scene,
                    turns: turns, location: SourceLocationBox(item.location)))
        }
        return tests
    }

    /// `given: { vars, topic, bot, globals }`.
    private static func decodeScene(_ node: YAMLNode, context: inout DecodingContext) -> PersonalityTestScene? {
        guard var fields = MappingFields(node, "given", context: &context) else { return nil }
        var scene = PersonalityTestScene()
        scene.variables = stringMap(fields.value("vars"), "vars", context: &context)
        scene.botVariables = stringMap(fields.value("bot"), "bot", context: &context)
        scene.globals = stringMap(fields.value("globals"), "globals", context: &context)
        if let topicNode = fields.value("topic") { scene.topic = context.nonEmptyString(topicNode, "topic") }
        fields.reportUnknownKeys(in: "given", known: ["vars", "topic", "bot", "globals"], context: &context)
        return scene
    }

    private static func stringMap(_ node: YAMLNode?, _ what: String, context: inout DecodingContext) -> [String: String] {
        guard let node, MappingFields(node, what, context: &context) != nil else { return [:] }
        var values: [String: String] = [:]
        for pair in node.mapping ?? [] {
            guard let key = context.nonEmptyString(pair.key, what), let value = context.string(pair.value, "\(what).\(key)")
            else { continue }
            values[key] = value
        }
        return values
    }

    private static func decodeTurn(
        _ fields: inout MappingFields, at node: YAMLNode, sayOptional: Bool = false, context: inout DecodingContext
    ) -> PersonalityTestTurn? {
        let say: String?
        if sayOptional, !fields.contains("say") {
            say = nil
        } else {
            say = fields.required("say", in: "test turn", context: &context).flatMap { context.string($0, "say") }
            if say == nil { return nil }
        }
        var expectations: [ReplyExpectation] = []
        if let exact = fields.string("expect", context: &context) { expectations.append(.exact(exact)) }
        if let options = fields.strings("expect_one_of", context: &context) { expectations.append(.oneOf(options)) }
        if let patternNode = fields.value("expect_match"), let pattern = context.nonEmptyString(patternNode, "expect_match") {
            if (try? NSRegularExpression(pattern: pattern)) == nil {
                context.error("invalid-regex", at: patternNode, "'expect_match' is not a valid regular expression: '\(pattern)'")
            } else {
                expectations.append(.matches(pattern))
            }
        }
        if expectations.count > 1 {
            context.error("conflicting-keys", at: node, "a turn has at most one of 'expect', 'expect_one_of' and 'expect_match'")
        }
        let variables = stringMap(fields.value("vars"), "vars", context: &context)
        let topic = fields.value("topic").flatMap { context.nonEmptyString($0, "topic") }
        if say == nil, !expectations.isEmpty {
            context.error("missing-key", at: node, "a turn that expects a reply needs 'say'")
        }
        if expectations.isEmpty && variables.isEmpty && topic == nil {
            context.warning(
                "empty-test", at: node, "this turn checks nothing; add 'expect', 'expect_one_of', 'expect_match', 'vars' or 'topic'")
        }
        return PersonalityTestTurn(
            say: say, expectation: expectations.first, variables: variables, topic: topic,
            location: SourceLocationBox(node.location))
    }
}
