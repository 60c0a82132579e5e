import Foundation
import YAML

/// Decodes a personality's `tests:` list: one-turn tests (`say` + `expect…` at the top) and
/// multi-turn tests (`conversation:` with a list of turns), each with an optional `name` and
/// `seed`.
public enum PersonalityTestDecoder {
    /// Decodes the list; invalid entries are reported and skipped.
    public static func decode(_ node: YAMLNode, context: inout DecodingContext) -> [PersonalityTest]? {
        guard let items = context.list(node, "tests") else { return nil }
        var tests: [PersonalityTest] = []
        for item in items {
            guard var fields = MappingFields(item, "test", context: &context) else { continue }
            let name = fields.string("name", context: &context)
            let seed = fields.value("seed").flatMap { context.int($0, "seed", range: 0...Int.max) }.map(UInt64.init)
            var turns: [PersonalityTestTurn] = []
            if fields.contains("conversation") {
                if fields.contains("say") {
                    context.error("conflicting-keys", at: item, "a test has either 'say' (one turn) or 'conversation' (several turns), not both")
                }
                if let list = fields.value("conversation").flatMap({ context.list($0, "conversation") }) {
                    for turnNode in list {
                        guard var turnFields = MappingFields(turnNode, "turn", context: &context) else { continue }
                        if let turn = decodeTurn(&turnFields, at: turnNode, context: &context) { turns.append(turn) }
                        turnFields.reportUnknownKeys(in: "test turn", context: &context)
                    }
                }
            } else if let turn = decodeTurn(&fields, at: item, context: &context) {
                turns.append(turn)
            }
            fields.reportUnknownKeys(
                in: "test", known: ["name", "seed", "conversation", "say", "expect", "expect_one_of", "expect_match", "vars"],
                context: &context)
            guard !turns.isEmpty else {
                if !fields.contains("say") && !fields.contains("conversation") {
                    context.error("missing-key", at: item, "test needs 'say' (one turn) or 'conversation' (several turns)")
                }
                continue
            }
            tests.append(
                PersonalityTest(name: name ?? turns[0].say, seed: seed, turns: turns, location: SourceLocationBox(item.location)))
        }
        return tests
    }

    private static func decodeTurn(_ fields: inout MappingFields, at node: YAMLNode, context: inout DecodingContext) -> PersonalityTestTurn? {
        let say = fields.required("say", in: "test turn", context: &context).flatMap { context.string($0, "say") }
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
        var variables: [String: String] = [:]
        if let varsNode = fields.value("vars"), MappingFields(varsNode, "vars", context: &context) != nil {
            for pair in varsNode.mapping ?? [] {
                guard let key = context.nonEmptyString(pair.key, "vars"), let value = context.string(pair.value, "vars.\(key)") else { continue }
                variables[key] = value
            }
        }
        guard let say else { return nil }
        if expectations.isEmpty && variables.isEmpty {
            context.warning("empty-test", at: node, "this turn checks nothing; add 'expect', 'expect_one_of', 'expect_match' or 'vars'")
        }
        return PersonalityTestTurn(
            say: say, expectation: expectations.first, variables: variables, location: SourceLocationBox(node.location))
    }
}
