import Diagnostics
import Policies
import YAML

/// Decodes `limits.yaml`:
///
/// ```yaml
/// default: standard          # the set used when nothing else picks one
/// sets:
///   standard: { responses_per_session: 20, session_rate: 20/min, session_burst: 5 }
///   strict:   { extends: standard, responses_per_session: 5 }
/// rules:                     # first match wins
///   - { tier: free, use: strict }
///   - { personality: support-*, use: standard }
/// ```
public enum LimitsDecoder {
    /// Decodes and validates the file, including references between its own sets.
    public static func decode(_ root: YAMLNode, context: inout DecodingContext) -> LimitsConfiguration? {
        if root.isNull { return LimitsConfiguration() }
        guard var fields = MappingFields(root, "limits file", context: &context) else { return nil }
        var configuration = LimitsConfiguration()

        if let setsNode = fields.value("sets"), let setFields = MappingFields(setsNode, "sets", context: &context) {
            for pair in setsNode.mapping ?? [] {
                guard let name = context.nonEmptyString(pair.key, "set name") else { continue }
                if !PersonalityDecoder.isValidID(name) {
                    context.error("invalid-id", at: pair.key, "invalid limit set name '\(name)': use lowercase letters, digits and '-'")
                    continue
                }
                guard var values = MappingFields(pair.value, "sets.\(name)", context: &context) else { continue }
                let extends = values.string("extends", context: &context)
                let decoded = LimitValuesDecoder.decodeValues(&values, context: &context)
                values.reportUnknownKeys(in: "limit set '\(name)'", known: ["extends"] + LimitValuesDecoder.valueKeys, context: &context)
                configuration.sets[name] = LimitRuleSet(
                    name: name, extends: extends, values: decoded, location: SourceLocationBox(pair.key.location))
                checkBursts(decoded, at: pair.value, context: &context)
            }
            _ = setFields
        }
        if let rulesNode = fields.value("rules"), let items = context.list(rulesNode, "rules") {
            for item in items {
                guard var rule = MappingFields(item, "rule", context: &context) else { continue }
                let personality = rule.string("personality", context: &context)
                let tier = rule.string("tier", context: &context)
                let use = rule.required("use", in: "rule", context: &context).flatMap { context.nonEmptyString($0, "use") }
                rule.reportUnknownKeys(in: "rule", context: &context)
                if let use {
                    configuration.rules.append(
                        LimitSelector(personality: personality, tier: tier, use: use, location: SourceLocationBox(item.location)))
                }
            }
        }
        let defaultNode = fields.value("default")
        configuration.defaultSet = defaultNode.flatMap { context.nonEmptyString($0, "default") }
        fields.reportUnknownKeys(in: "limits file", context: &context)

        validateReferences(configuration, defaultNode: defaultNode, context: &context)
        return configuration
    }

    private static func checkBursts(_ values: LimitValues, at node: YAMLNode, context: inout DecodingContext) {
        let pairs: [(String, Int?, Rate?, String)] = [
            ("session_burst", values.sessionBurst, values.sessionRate, "session_rate"),
            ("client_burst", values.clientBurst, values.clientRate, "client_rate"),
            ("personality_burst", values.personalityBurst, values.personalityRate, "personality_rate"),
        ]
        for (burstKey, burst, rate, rateKey) in pairs where burst != nil && rate == nil {
            context.warning("burst-without-rate", at: node, "'\(burstKey)' has no effect without '\(rateKey)'")
        }
    }

    private static func validateReferences(
        _ configuration: LimitsConfiguration, defaultNode: YAMLNode?, context: inout DecodingContext
    ) {
        let names = configuration.sets.keys.sorted()
        func undefined(_ name: String, _ what: String, at location: SourceLocation) {
            var message = "\(what) '\(name)' is not defined in 'sets'"
            if let near = Suggestion.closest(to: name, among: names) { message += "; did you mean '\(near)'?" }
            context.error("undefined-limit-set", at: location, message)
        }
        for set in configuration.sets.values.sorted(by: { $0.location.location < $1.location.location }) {
            guard let parent = set.extends else { continue }
            if configuration.sets[parent] == nil {
                undefined(parent, "limit set '\(set.name)' extends", at: set.location.location)
                continue
            }
            // Follow the chain; a revisit of this set is a cycle.
            var seen: [String] = [set.name]
            var next: String? = parent
            while let current = next, let found = configuration.sets[current] {
                if current == set.name {
                    context.error("limit-set-cycle", at: set.location.location, "limit sets extend each other in a cycle: \((seen + [current]).joined(separator: " -> "))")
                    break
                }
                if seen.contains(current) { break }
                seen.append(current)
                next = found.extends
            }
        }
        for rule in configuration.rules where configuration.sets[rule.use] == nil {
            undefined(rule.use, "rule uses set", at: rule.location.location)
        }
        if let name = configuration.defaultSet, configuration.sets[name] == nil, let defaultNode {
            undefined(name, "default set", at: defaultNode.location)
        }
    }
}
