import ChatProtocol
import Foundation
import JSON
import PersonaRuntime
import PersonaServer
import PersonaTestSupport
import Policies
import Testing

/// Runs the real `prometheus_client` parser over exposition text (see ops_parse_metrics.py).
private enum PrometheusClient {
    static let isAvailable: Bool = {
        (try? ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import prometheus_client"]))?.status == 0
    }()

    /// sample name + sorted labels → value, for every sample the parser read.
    static func samples(_ text: String) throws -> [String: Double] {
        let script = PersonaBinary.packageRoot.appendingPathComponent(
            "Tests/PersonaTests/Python/ops_parse_metrics.py")
        let result = try ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path], input: text)
        try #require(result.status == 0, "\(result.stderr)\n\(text)")
        var out: [String: Double] = [:]
        for family in try JSONValue(parsing: result.stdout)["families"]?.arrayValue ?? [] {
            for sample in family["samples"]?.arrayValue ?? [] {
                let labels = (sample["labels"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
                    .map { "\($0.key)=\($0.value.stringValue ?? "")" }.joined(separator: ",")
                let name = (sample["name"]?.stringValue ?? "") + (labels.isEmpty ? "" : "{\(labels)}")
                switch sample["value"] {
                case .integer(let value): out[name] = Double(value)
                case .double(let value): out[name] = value
                case .string("+Inf"): out[name] = .infinity
                default: break
                }
            }
        }
        return out
    }
}

@Suite("/metrics: every family of issue 7, read back by prometheus_client")
struct AdminMetricsTests {
    private func counters(ttftMilliseconds: [Int64]) -> HubCounters {
        var counters = HubCounters(sampleCapacity: 4)
        counters.messagesIn = 12
        counters.messagesOut = 11
        counters.tokensOut = 340
        counters.rateLimited = 2
        counters.limitReached = 1
        counters.fallbacks = 3
        counters.cacheHits = 5
        counters.cacheMisses = 7
        counters.slowConsumersPaused = 4
        counters.slowConsumersClosed = 1
        counters.sessionsStarted = [.bot: 4, .human: 2]
        counters.sessionsEnded = [.personalityRemoved: 1]
        counters.redactionsInbound.count(.email)
        counters.redactionsInbound.count(.email)
        counters.redactionsOutbound.count(.phone)
        for value in ttftMilliseconds { counters.timeToFirstToken.record(value * 1_000_000) }
        counters.matchmakingWait.record(10_000_000_000)
        return counters
    }

    @Test(
        "renders counters, gauges, labelled families and histograms that parse with their values",
        .enabled(if: PrometheusClient.isAvailable, "python3 'prometheus_client' is not installed"))
    func families() throws {
        let stats = AdminStats(
            hubs: [counters(ttftMilliseconds: [3, 40]), counters(ttftMilliseconds: [700])], connections: 9,
            sessionsByKind: ["bot": 5, "matching": 1],
            sessionsByPersonality: ["captain \"red\"\nbeard": 4, "eliza": 1],
            registryVersion: "00ff00ff00ff00ff", personalities: 7, reloadsOK: 3, reloadsFailed: 1,
            cacheEvictions: 2)
        let samples = try PrometheusClient.samples(MetricsRenderer().render(stats))
        #expect(samples["persona_connections"] == 9)
        #expect(samples["persona_sessions{kind=bot}"] == 5)
        #expect(samples["persona_sessions{kind=human}"] == 0)
        #expect(samples["persona_sessions{kind=matching}"] == 1)
        #expect(samples["persona_sessions_by_personality{personality=captain \"red\"\nbeard}"] == 4)
        #expect(samples["persona_sessions_started_total{kind=bot}"] == 8)
        #expect(samples["persona_sessions_ended_total{reason=personality_removed}"] == 2)
        #expect(samples["persona_messages_in_total"] == 24)
        #expect(samples["persona_messages_out_total"] == 22)
        #expect(samples["persona_tokens_streamed_total"] == 680)
        #expect(samples["persona_rate_limited_total"] == 4)
        #expect(samples["persona_limit_reached_total"] == 2)
        #expect(samples["persona_fallbacks_total"] == 6)
        #expect(samples["persona_cache_hits_total"] == 10)
        #expect(samples["persona_cache_misses_total"] == 14)
        #expect(samples["persona_cache_evictions_total"] == 2)
        #expect(samples["persona_slow_consumers_paused_total"] == 8)
        #expect(samples["persona_slow_consumers_closed_total"] == 2)
        #expect(samples["persona_pii_redactions_total{direction=inbound,type=email}"] == 4)
        #expect(samples["persona_pii_redactions_total{direction=outbound,type=phone}"] == 2)
        #expect(samples["persona_pii_redactions_total{direction=outbound,type=email}"] == 0)
        #expect(samples["persona_reloads_total{result=ok}"] == 3)
        #expect(samples["persona_reloads_total{result=failed}"] == 1)
        #expect(samples["persona_registry_info{version=00ff00ff00ff00ff}"] == 1)
        #expect(samples["persona_time_to_first_token_seconds_bucket{le=0.005}"] == 1)
        #expect(samples["persona_time_to_first_token_seconds_bucket{le=0.05}"] == 2)
        #expect(samples["persona_time_to_first_token_seconds_bucket{le=0.5}"] == 2)
        #expect(samples["persona_time_to_first_token_seconds_bucket{le=1}"] == 3)
        #expect(samples["persona_time_to_first_token_seconds_bucket{le=+Inf}"] == 3)
        #expect(samples["persona_time_to_first_token_seconds_count"] == 3)
        #expect(abs((samples["persona_time_to_first_token_seconds_sum"] ?? 0) - 0.743) < 1e-9)
        #expect(samples["persona_matchmaking_wait_seconds_bucket{le=10}"] == 2)
        #expect(samples["persona_reply_latency_seconds_count"] == 0)
    }

    @Test("histograms stay cumulative across scrapes and count samples a ring lost in between")
    func cumulativeAcrossScrapes() throws {
        let renderer = MetricsRenderer()
        var hub = HubCounters(sampleCapacity: 4)
        func scrape() -> [String] {
            renderer.render(AdminStats(hubs: [hub])).split(separator: "\n").map(String.init)
        }
        for _ in 0..<3 { hub.timeToFirstToken.record(2_000_000) }
        #expect(scrape().contains("persona_time_to_first_token_seconds_count 3"))
        for _ in 0..<3 { hub.timeToFirstToken.record(20_000_000) }  // wraps the 4-sample ring once
        let second = scrape()
        #expect(second.contains("persona_time_to_first_token_seconds_count 6"))
        #expect(second.contains(#"persona_time_to_first_token_seconds_bucket{le="0.0025"} 3"#))
        #expect(second.contains(#"persona_time_to_first_token_seconds_bucket{le="0.025"} 6"#))
        for _ in 0..<6 { hub.timeToFirstToken.record(200_000_000) }  // 6 new, only 4 still in the ring
        let third = scrape()
        #expect(third.contains("persona_time_to_first_token_seconds_count 10"))
        #expect(third.contains(#"persona_time_to_first_token_seconds_bucket{le="0.25"} 10"#))
        #expect(third.contains("persona_latency_samples_dropped_total 2"))
    }
}
