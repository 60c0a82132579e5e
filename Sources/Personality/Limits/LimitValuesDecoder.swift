import YAML

/// Reads limit values — shared by `limits.yaml`'s sets and a personality's inline overrides,
/// so both accept exactly the same keys with the same ranges.
public enum LimitValuesDecoder {
    /// The value keys, in documentation order.
    public static let valueKeys = [
        "responses_per_session", "session_rate", "session_burst", "client_rate", "client_burst",
        "personality_rate", "personality_burst", "max_input_chars", "max_reply_tokens", "idle_timeout",
        "session_timeout", "daily_messages_per_client", "daily_tokens_per_client", "on_limit", "resume_window",
    ]

    /// Largest accepted count for per-session, per-day and size limits.
    public static let maxCount = 10_000_000
    /// Largest accepted burst.
    public static let maxBurst = 100_000

    /// Reads the value keys present in `fields` (marking them read).
    public static func decodeValues(_ fields: inout MappingFields, context: inout DecodingContext) -> LimitValues {
        var values = LimitValues()
        values.responsesPerSession = fields.int("responses_per_session", range: 1...maxCount, context: &context)
        values.sessionRate = fields.rate("session_rate", context: &context)
        values.sessionBurst = fields.int("session_burst", range: 0...maxBurst, context: &context)
        values.clientRate = fields.rate("client_rate", context: &context)
        values.clientBurst = fields.int("client_burst", range: 0...maxBurst, context: &context)
        values.personalityRate = fields.rate("personality_rate", context: &context)
        values.personalityBurst = fields.int("personality_burst", range: 0...maxBurst, context: &context)
        values.maxInputCharacters = fields.int("max_input_chars", range: 1...1_000_000, context: &context)
        values.maxReplyTokens = fields.int("max_reply_tokens", range: 1...100_000, context: &context)
        values.idleTimeout = fields.duration("idle_timeout", range: .seconds(1)...(.seconds(7 * 86_400)), context: &context)
        values.sessionTimeout = fields.duration("session_timeout", range: .seconds(1)...(.seconds(30 * 86_400)), context: &context)
        values.dailyMessagesPerClient = fields.int("daily_messages_per_client", range: 1...maxCount, context: &context)
        values.dailyTokensPerClient = fields.int(
            "daily_tokens_per_client", range: 1...1_000_000_000, context: &context)
        values.onLimit = fields.choice("on_limit", as: LimitAction.self, context: &context)
        values.resumeWindow = fields.duration("resume_window", range: .zero...(.seconds(7 * 86_400)), context: &context)
        return values
    }

    /// Reads a personality's `limits:` — a set name, or a mapping with `use:` and overrides.
    public static func decodeReference(_ node: YAMLNode, context: inout DecodingContext) -> LimitsReference? {
        if node.scalar != nil {
            guard let name = context.nonEmptyString(node, "limits") else { return nil }
            return LimitsReference(setName: name, location: SourceLocationBox(node.location))
        }
        guard var fields = MappingFields(node, "limits", context: &context) else { return nil }
        let useNode = fields.value("use")
        let name = useNode.flatMap { context.nonEmptyString($0, "use") }
        let overrides = decodeValues(&fields, context: &context)
        fields.reportUnknownKeys(in: "limits", known: ["use"] + valueKeys, context: &context)
        return LimitsReference(
            setName: name, overrides: overrides, location: SourceLocationBox((useNode ?? node).location))
    }
}
