import YAML

/// Decodes `routing.yaml`:
///
/// ```yaml
/// matchmaking:
///   timeout: 10s          # how long a random session waits for a human
///   humans_first: true
/// fallback:
///   default: general-assistant
///   candidates:
///     - { personality: captain-redbeard, weight: 1 }
///     - { personality: general-assistant, weight: 3, tenants: [acme] }
/// ```
/// Personality references are checked by ``RegistryBuilder``, which knows every id.
public enum RoutingDecoder {
    /// Longest accepted matchmaking timeout.
    public static let maxTimeout: Duration = .seconds(300)
    /// Largest accepted candidate weight.
    public static let maxWeight = 1_000

    /// Decodes the file.
    public static func decode(_ root: YAMLNode, context: inout DecodingContext) -> RoutingRules? {
        if root.isNull { return RoutingRules() }
        guard var fields = MappingFields(root, "routing file", context: &context) else { return nil }
        var rules = RoutingRules()
        if let node = fields.value("matchmaking"), var matchmaking = MappingFields(node, "matchmaking", context: &context) {
            if let timeout = matchmaking.duration("timeout", range: .zero...maxTimeout, context: &context) {
                rules.matchmakingTimeout = timeout
            }
            if let humansFirst = matchmaking.bool("humans_first", context: &context) { rules.humansFirst = humansFirst }
            matchmaking.reportUnknownKeys(in: "matchmaking", context: &context)
        }
        if let node = fields.value("fallback"), var fallback = MappingFields(node, "fallback", context: &context) {
            if let node = fallback.value("default") {
                rules.defaultPersonality = context.string(node, "default")
                rules.defaultPersonalityLocation = SourceLocationBox(node.location)
            }
            if let candidatesNode = fallback.value("candidates"), let items = context.list(candidatesNode, "candidates") {
                for item in items {
                    guard var candidate = MappingFields(item, "candidate", context: &context) else { continue }
                    let personalityNode = candidate.required("personality", in: "candidate", context: &context)
                    let personality = personalityNode.flatMap { context.nonEmptyString($0, "personality") }
                    let weight = candidate.int("weight", range: 1...maxWeight, context: &context) ?? 1
                    let tenants = candidate.strings("tenants", context: &context) ?? []
                    candidate.reportUnknownKeys(in: "candidate", context: &context)
                    if let personality {
                        rules.fallback.append(
                            FallbackCandidate(personality: personality, weight: weight, tenants: tenants,
                                location: SourceLocationBox(personalityNode?.location ?? item.location)))
                    }
                }
            }
            fallback.reportUnknownKeys(in: "fallback", context: &context)
        }
        fields.reportUnknownKeys(in: "routing file", context: &context)
        return rules
    }
}
