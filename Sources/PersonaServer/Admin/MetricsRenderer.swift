import ChatProtocol
import Observability
import PersonaRuntime
import Policies
import Synchronization

/// Turns ``AdminStats`` into the `/metrics` families (Prometheus text format 0.0.4).
///
/// | family | type | labels |
/// |---|---|---|
/// | `persona_connections` | gauge | |
/// | `persona_sessions` | gauge | `kind` = bot, human, matching |
/// | `persona_sessions_by_personality` | gauge | `personality` |
/// | `persona_sessions_started_total` | counter | `kind` |
/// | `persona_sessions_ended_total` | counter | `reason` |
/// | `persona_messages_in_total`, `persona_messages_out_total`, `persona_tokens_streamed_total` | counter | |
/// | `persona_time_to_first_token_seconds`, `persona_reply_latency_seconds`, `persona_matchmaking_wait_seconds` | histogram | |
/// | `persona_rate_limited_total`, `persona_limit_reached_total`, `persona_fallbacks_total` | counter | |
/// | `persona_cache_hits_total`, `persona_cache_misses_total`, `persona_cache_evictions_total` | counter | |
/// | `persona_slow_consumers_paused_total`, `persona_slow_consumers_closed_total` | counter | |
/// | `persona_pii_redactions_total` | counter | `type`, `direction` = inbound, outbound |
/// | `persona_reloads_total` | counter | `result` = ok, failed |
/// | `persona_registry_info` | gauge (always 1) | `version` |
/// | `persona_registry_personalities` | gauge | |
/// | `persona_refusals_total` | counter | `reason` (``RefusalReason``) |
/// | `persona_http_errors_total` | counter | `status` |
/// | `persona_websocket_closes_total` | counter | `code` (RFC 6455's named codes, `other`) |
/// | `persona_sessions_disconnected_total` | counter | |
/// | `persona_memory_budget_bytes` | gauge | `state` = used, limit |
///
/// Histograms: the hubs keep each latency as a ring of recent samples plus an exact count
/// and sum (`LatencySamples`); a Prometheus histogram must be cumulative over the process's
/// life. So the renderer keeps one ``Histogram`` per hub and metric and, at each scrape, folds
/// in the samples recorded since the last one. Sample *i* of a ring lives at `i % capacity`
/// (it fills in order, then overwrites oldest first), so the new ones are found exactly —
/// unless more than `capacity` (4,096 by default) arrived on one hub between two scrapes, in
/// which case the overwritten ones are missing from the buckets *and* from `_count`/`_sum`
/// (kept consistent with the buckets) and counted in `persona_latency_samples_dropped_total`.
public final class MetricsRenderer: Sendable {
    private struct Track {
        var seen = 0
        var histogram = Histogram()
        var dropped = 0
    }

    private let tracks = Mutex<[String: Track]>([:])
    private let sources = Mutex<[@Sendable (inout PrometheusExposition) -> Void]>([])

    /// Adds families that live outside the hubs (engine usage, say), rendered after the rest.
    public func addSource(_ source: @escaping @Sendable (inout PrometheusExposition) -> Void) {
        sources.withLock { $0.append(source) }
    }

    /// Creates a renderer with empty histograms.
    public init() {}

    /// The exposition text for `stats`.
    public func render(_ stats: AdminStats) -> String {
        let total = stats.total
        var out = PrometheusExposition()
        out.gauge(
            "persona_connections", help: "Open connections on the public listener.",
            [MetricSample([], stats.connections)])
        out.gauge(
            "persona_sessions", help: "Live sessions by kind (matching = waiting for a partner).",
            ["bot", "human", "matching"].map {
                MetricSample([MetricLabel("kind", $0)], stats.sessionsByKind[$0] ?? 0)
            })
        out.gauge(
            "persona_sessions_by_personality", help: "Live bot sessions by personality.",
            stats.sessionsByPersonality.sorted { $0.key < $1.key }.map {
                MetricSample([MetricLabel("personality", $0.key)], $0.value)
            })
        out.counter(
            "persona_sessions_started_total", help: "Sessions started, by kind.",
            SessionKind.allCases.map {
                MetricSample([MetricLabel("kind", $0.rawValue)], total.sessionsStarted[$0] ?? 0)
            })
        out.counter(
            "persona_sessions_ended_total", help: "Sessions ended, by reason.",
            EndReason.allCases.map {
                MetricSample([MetricLabel("reason", $0.rawValue)], total.sessionsEnded[$0] ?? 0)
            })
        out.counter(
            "persona_messages_in_total", help: "Client messages accepted.",
            [MetricSample([], total.messagesIn)])
        out.counter(
            "persona_messages_out_total", help: "Bot replies completed and partner messages delivered.",
            [MetricSample([], total.messagesOut)])
        out.counter(
            "persona_tokens_streamed_total", help: "Reply token frames sent.",
            [MetricSample([], total.tokensOut)])
        let histograms = histograms(stats.hubs)
        out.histogram(
            "persona_time_to_first_token_seconds",
            help: "Time from accepting a message to its reply's first token.",
            [(labels: [], histogram: histograms.ttft)])
        out.histogram(
            "persona_reply_latency_seconds", help: "Time from accepting a message to its reply's end.",
            [(labels: [], histogram: histograms.reply)])
        out.histogram(
            "persona_matchmaking_wait_seconds",
            help: "Time a random session waited before it was matched or fell back.",
            [(labels: [], histogram: histograms.wait)])
        out.counter(
            "persona_latency_samples_dropped_total",
            help: "Latency samples overwritten before a scrape saw them (scrape more often).",
            [MetricSample([], histograms.dropped)])
        out.counter(
            "persona_rate_limited_total", help: "Messages refused by a rate limiter.",
            [MetricSample([], total.rateLimited)])
        out.counter(
            "persona_limit_reached_total", help: "Response limits reached.",
            [MetricSample([], total.limitReached)])
        out.counter(
            "persona_fallbacks_total", help: "Random sessions handed to a fallback personality.",
            [MetricSample([], total.fallbacks)])
        out.counter(
            "persona_cache_hits_total", help: "Replies served from the response cache.",
            [MetricSample([], total.cacheHits)])
        out.counter(
            "persona_cache_misses_total", help: "Cache lookups that found nothing.",
            [MetricSample([], total.cacheMisses)])
        out.counter(
            "persona_cache_evictions_total", help: "Cache entries evicted.",
            [MetricSample([], stats.cacheEvictions)])
        out.counter(
            "persona_slow_consumers_paused_total",
            help: "Times a connection's reply pacing paused because its output backed up.",
            [MetricSample([], total.slowConsumersPaused)])
        out.counter(
            "persona_slow_consumers_closed_total",
            help: "Connections closed with 1008 because their output backlog passed the bound.",
            [MetricSample([], total.slowConsumersClosed)])
        var redactions: [MetricSample] = []
        for (direction, counters) in [
            ("inbound", total.redactionsInbound), ("outbound", total.redactionsOutbound),
        ] {
            for type in PIIType.allCases {
                redactions.append(
                    MetricSample(
                        [MetricLabel("type", type.rawValue), MetricLabel("direction", direction)],
                        counters[type]))
            }
        }
        out.counter("persona_pii_redactions_total", help: "PII redactions by type and direction.", redactions)
        out.counter(
            "persona_reloads_total", help: "Registry reloads by result.",
            [
                MetricSample([MetricLabel("result", "ok")], stats.reloadsOK),
                MetricSample([MetricLabel("result", "failed")], stats.reloadsFailed),
            ])
        out.gauge(
            "persona_registry_info", help: "The registry snapshot serving (always 1).",
            [MetricSample([MetricLabel("version", stats.registryVersion)], 1)])
        out.gauge(
            "persona_registry_personalities", help: "Personalities in the serving snapshot.",
            [MetricSample([], stats.personalities)])
        renderEvents(stats, into: &out)
        for source in sources.withLock({ $0 }) { source(&out) }
        return out.text
    }

    /// The abuse and failure families (see ``ServerEventRecorder``).
    private func renderEvents(_ stats: AdminStats, into out: inout PrometheusExposition) {
        let events = stats.events
        out.counter(
            "persona_refusals_total", help: "Clients refused or cut off, by reason.",
            RefusalReason.allCases.map {
                MetricSample([MetricLabel("reason", $0.rawValue)], events.refusals[$0] ?? 0)
            })
        out.counter(
            "persona_http_errors_total", help: "HTTP error answers (status 400 and above), by status.",
            events.httpErrors.sorted { $0.key < $1.key }.map {
                MetricSample([MetricLabel("status", String($0.key))], $0.value)
            })
        out.counter(
            "persona_websocket_closes_total", help: "WebSocket connections ended, by close code.",
            events.webSocketCloses.sorted { $0.key < $1.key }.map {
                MetricSample([MetricLabel("code", $0.key)], $0.value)
            })
        out.counter(
            "persona_sessions_disconnected_total", help: "Chat sessions ended because their client went away.",
            [MetricSample([], events.sessionsDisconnected)])
        out.gauge(
            "persona_memory_budget_bytes",
            help: "Large inbound WebSocket message bytes held under the server-wide budget, and its limit.",
            [
                MetricSample([MetricLabel("state", "used")], stats.memoryBudgetInUse),
                MetricSample([MetricLabel("state", "limit")], stats.memoryBudgetLimit),
            ])
    }

    private func histograms(_ hubs: [HubCounters]) -> (
        ttft: Histogram, reply: Histogram, wait: Histogram, dropped: Int
    ) {
        tracks.withLock { tracks in
            var dropped = 0
            var merged: [Histogram] = []
            for (name, pick) in [
                ("ttft", \HubCounters.timeToFirstToken), ("reply", \.replyLatency),
                ("wait", \.matchmakingWait),
            ] {
                var sum = Histogram()
                for (index, hub) in hubs.enumerated() {
                    let key = "\(name)/\(index)"
                    var track = tracks[key] ?? Track()
                    Self.absorb(hub[keyPath: pick], into: &track)
                    tracks[key] = track
                    sum.merge(track.histogram)
                    dropped += track.dropped
                }
                merged.append(sum)
            }
            return (merged[0], merged[1], merged[2], dropped)
        }
    }

    /// Folds the samples recorded since the last scrape into the track's histogram.
    private static func absorb(_ samples: LatencySamples, into track: inout Track) {
        let ring = samples.recent
        guard samples.count > track.seen, !ring.isEmpty else { return }
        let oldestKept = max(track.seen, samples.count - ring.count)
        track.dropped += oldestKept - track.seen
        for index in oldestKept..<samples.count {
            track.histogram.observe(Double(ring[index % samples.capacity]) / 1e9)
        }
        track.seen = samples.count
    }
}
