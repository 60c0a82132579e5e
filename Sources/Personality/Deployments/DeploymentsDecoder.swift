import YAML

/// Decodes `deployments.yaml`, the support-widget deployments beside the personalities:
///
/// ```yaml
/// widget:
///   - { key: acme-help, personality: general-assistant, tenant: acme }
///   - { key: pirate-demo, personality: captain-redbeard }
/// ```
/// Keys are 1 to ``maxKeyBytes`` bytes of visible ASCII (no spaces), unique. Personality
/// references are checked by ``RegistryBuilder``, which knows every id.
public enum DeploymentsDecoder {
    /// Most deployments in one file.
    public static let maxDeployments = 10_000
    /// Longest deployment key, in bytes.
    public static let maxKeyBytes = 128

    /// Decodes the file into deployments by key.
    public static func decode(_ root: YAMLNode, context: inout DecodingContext) -> [String: WidgetDeployment]? {
        if root.isNull { return [:] }
        guard var fields = MappingFields(root, "deployments file", context: &context) else { return nil }
        var deployments: [String: WidgetDeployment] = [:]
        if let node = fields.value("widget"), let items = context.list(node, "widget") {
            if items.count > maxDeployments {
                context.error("too-many", at: node, "at most \(maxDeployments) widget deployments")
            }
            for item in items.prefix(maxDeployments) {
                guard let deployment = decodeOne(item, context: &context) else { continue }
                guard deployments[deployment.key] == nil else {
                    context.error("duplicate-deployment", at: item, "a second deployment with key '\(deployment.key)'")
                    continue
                }
                deployments[deployment.key] = deployment
            }
        }
        fields.reportUnknownKeys(in: "deployments file", context: &context)
        return deployments
    }

    private static func decodeOne(_ node: YAMLNode, context: inout DecodingContext) -> WidgetDeployment? {
        guard var fields = MappingFields(node, "deployment", context: &context) else { return nil }
        let keyNode = fields.required("key", in: "deployment", context: &context)
        var key = keyNode.flatMap { context.nonEmptyString($0, "key") }
        if let value = key, let keyNode,
            value.utf8.count > maxKeyBytes || !value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        {
            context.error(
                "bad-key", at: keyNode, "'key' is 1 to \(maxKeyBytes) bytes of visible ASCII without spaces")
            key = nil
        }
        let personalityNode = fields.required("personality", in: "deployment", context: &context)
        let personality = personalityNode.flatMap { context.nonEmptyString($0, "personality") }
        let tenant = fields.value("tenant").flatMap { context.nonEmptyString($0, "tenant") }
        fields.reportUnknownKeys(in: "deployment", known: ["key", "personality", "tenant"], context: &context)
        guard let key, let personality, let personalityNode else { return nil }
        return WidgetDeployment(
            key: key, personality: personality, tenant: tenant, location: SourceLocationBox(personalityNode.location))
    }
}
