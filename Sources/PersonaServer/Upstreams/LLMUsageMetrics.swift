import Engines
import Observability

/// The `llm` engine's usage as `/metrics` families:
///
/// | family | type | labels |
/// |---|---|---|
/// | `persona_llm_requests_total` | counter | `personality`, `client`, `tenant`, `result` = ok, failed |
/// | `persona_llm_tokens_total` | counter | `personality`, `client`, `tenant`, `kind` = prompt, completion |
public enum LLMUsageMetrics {
    /// Appends the families for `usage`.
    public static func render(_ usage: LLMUsage, into out: inout PrometheusExposition) {
        let lines = usage.snapshot()
        var requests: [MetricSample] = []
        var tokens: [MetricSample] = []
        for (key, counts) in lines {
            let labels = [
                MetricLabel("personality", key.personality), MetricLabel("client", key.client),
                MetricLabel("tenant", key.tenant),
            ]
            requests.append(MetricSample(labels + [MetricLabel("result", "ok")], counts.requests))
            requests.append(MetricSample(labels + [MetricLabel("result", "failed")], counts.failures))
            tokens.append(MetricSample(labels + [MetricLabel("kind", "prompt")], counts.promptTokens))
            tokens.append(MetricSample(labels + [MetricLabel("kind", "completion")], counts.completionTokens))
        }
        out.counter("persona_llm_requests_total", help: "llm engine requests by outcome.", requests)
        out.counter("persona_llm_tokens_total", help: "Upstream tokens used by the llm engine.", tokens)
    }
}
