import YAML

/// Decodes `upstreams.yaml`:
///
/// ```yaml
/// upstreams:
///   - name: openai
///     base_url: https://api.openai.com/v1
///     model: gpt-4o-mini
///     api_key_env: OPENAI_API_KEY        # the variable's *name*; a key in YAML is an error
///     headers: { OpenAI-Organization: org-123 }
///     timeouts: { connect: 5s, first_token: 30s, between_tokens: 30s, total: 2m }
///     max_concurrent: 64
///     retries: 2
///     tls: { ca_file: /etc/persona/upstream-ca.pem }
///     circuit_breaker: { failures: 5, cooldown: 30s }
/// ```
public enum UpstreamsDecoder {
    /// Most upstreams in one file.
    public static let maxUpstreams = 256
    /// Largest `max_concurrent`.
    public static let maxConcurrent = 100_000
    /// Largest `retries`.
    public static let maxRetries = 10
    /// Header names the client sets itself and an author may not override.
    public static let reservedHeaders: Set<String> = [
        "host", "content-length", "transfer-encoding", "connection", "content-type", "accept",
    ]

    /// Decodes the file.
    public static func decode(_ root: YAMLNode, context: inout DecodingContext) -> UpstreamsConfiguration? {
        if root.isNull { return UpstreamsConfiguration() }
        guard var fields = MappingFields(root, "upstreams file", context: &context) else { return nil }
        var upstreams: [UpstreamDefinition] = []
        var seen: Set<String> = []
        if let node = fields.value("upstreams"), let items = context.list(node, "upstreams") {
            if items.count > maxUpstreams {
                context.error("too-many", at: node, "at most \(maxUpstreams) upstreams")
            }
            for item in items.prefix(maxUpstreams) {
                guard let upstream = decodeOne(item, context: &context) else { continue }
                if !seen.insert(upstream.name).inserted {
                    context.error("duplicate-upstream", at: item, "a second upstream named '\(upstream.name)'")
                    continue
                }
                upstreams.append(upstream)
            }
        }
        fields.reportUnknownKeys(in: "upstreams file", context: &context)
        return UpstreamsConfiguration(upstreams)
    }

    private static func decodeOne(_ node: YAMLNode, context: inout DecodingContext) -> UpstreamDefinition? {
        guard var fields = MappingFields(node, "upstream", context: &context) else { return nil }
        if let literal = fields.value("api_key") {
            context.error(
                "literal-api-key", at: literal,
                "an API key may not be written in upstreams.yaml; put it in an environment variable and name that variable with 'api_key_env'"
            )
        }
        let name = fields.required("name", in: "upstream", context: &context).flatMap {
            context.nonEmptyString($0, "name")
        }
        let urlNode = fields.required("base_url", in: "upstream", context: &context)
        let baseURL = urlNode.flatMap { context.nonEmptyString($0, "base_url") }
        let model = fields.required("model", in: "upstream", context: &context).flatMap {
            context.nonEmptyString($0, "model")
        }
        var keyVariable: String?
        if let keyNode = fields.value("api_key_env"), let variable = context.nonEmptyString(keyNode, "api_key_env") {
            if variable.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
                !(variable.first?.isNumber ?? true)
            {
                keyVariable = variable
            } else {
                context.error(
                    "bad-variable", at: keyNode,
                    "'api_key_env' names an environment variable ([A-Za-z_][A-Za-z0-9_]*); did you write the key itself?")
            }
        }
        var headers: [String: String] = [:]
        if let headersNode = fields.value("headers"), let pairs = MappingFields(headersNode, "headers", context: &context) {
            for key in pairs.keys {
                var copy = pairs
                guard let valueNode = copy.value(key), let value = context.string(valueNode, "header '\(key)'") else {
                    continue
                }
                if reservedHeaders.contains(key.lowercased()) {
                    context.error("reserved-header", at: valueNode, "header '\(key)' is set by the client")
                } else if key.lowercased() == "authorization" || key.lowercased() == "api-key"
                    || key.lowercased() == "x-api-key"
                {
                    context.error(
                        "literal-api-key", at: valueNode,
                        "'\(key)' would hold a credential in YAML; use 'api_key_env' instead")
                } else if key.isEmpty || value.contains(where: { $0 == "\r" || $0 == "\n" }) {
                    context.error("bad-header", at: valueNode, "header '\(key)' holds a line break")
                } else {
                    headers[key] = value
                }
            }
        }
        var timeouts = UpstreamDefinition.Timeouts()
        if let timeoutsNode = fields.value("timeouts"), var mapping = MappingFields(timeoutsNode, "timeouts", context: &context) {
            let range = Duration.milliseconds(1)...Duration.seconds(3_600)
            if let value = mapping.duration("connect", range: range, context: &context) { timeouts.connect = value }
            if let value = mapping.duration("first_token", range: range, context: &context) {
                timeouts.firstToken = value
            }
            if let value = mapping.duration("between_tokens", range: range, context: &context) {
                timeouts.betweenTokens = value
            }
            if let value = mapping.duration("total", range: range, context: &context) { timeouts.total = value }
            mapping.reportUnknownKeys(in: "timeouts", context: &context)
        }
        let maxConcurrent = fields.int("max_concurrent", range: 1...maxConcurrent, context: &context) ?? 64
        let retries = fields.int("retries", range: 0...maxRetries, context: &context) ?? 2
        var caFile: String?
        if let tlsNode = fields.value("tls"), var tls = MappingFields(tlsNode, "tls", context: &context) {
            caFile = tls.string("ca_file", context: &context)
            tls.reportUnknownKeys(in: "tls", context: &context)
        }
        var breakerFailures = 5
        var breakerCooldown = Duration.seconds(30)
        if let breakerNode = fields.value("circuit_breaker"),
            var breaker = MappingFields(breakerNode, "circuit_breaker", context: &context)
        {
            breakerFailures = breaker.int("failures", range: 1...1_000, context: &context) ?? breakerFailures
            breakerCooldown =
                breaker.duration("cooldown", range: .milliseconds(1)...(.seconds(3_600)), context: &context)
                ?? breakerCooldown
            breaker.reportUnknownKeys(in: "circuit_breaker", context: &context)
        }
        fields.reportUnknownKeys(
            in: "upstream",
            known: [
                "name", "base_url", "model", "api_key_env", "headers", "timeouts", "max_concurrent", "retries", "tls",
                "circuit_breaker",
            ], context: &context)
        guard let name, let baseURL, let model, let urlNode else { return nil }
        do {
            if caFile != nil, !baseURL.hasPrefix("https://") {
                context.warning("unused-ca-file", at: node, "'tls.ca_file' has no effect on an http:// upstream")
            }
            return try UpstreamDefinition(
                name: name, baseURL: baseURL, model: model, apiKeyEnvironmentVariable: keyVariable, headers: headers,
                timeouts: timeouts, maxConcurrent: maxConcurrent, retries: retries, caFile: caFile,
                breakerFailures: breakerFailures, breakerCooldown: breakerCooldown,
                location: SourceLocationBox(node.location))
        } catch {
            context.error("bad-url", at: urlNode, "base_url \(error.description)")
            return nil
        }
    }
}
