import Observability
import Synchronization

/// A node's link counters in the Prometheus exposition of `/metrics`.
package enum NodeMetrics {
    /// Appends the counters of `link` to `out`.
    package static func render(_ link: NodeLink, into out: inout PrometheusExposition) {
        let counters = link.counters.withLock { $0 }
        out.counter(
            "persona_node_mail_total", help: "Pair mail between nodes, by direction and outcome (published_with_write: relays the session store published with the message's write, also counted in published).",
            [
                MetricSample([MetricLabel("direction", "published")], counters.published),
                MetricSample([MetricLabel("direction", "published_with_write")], counters.carried),
                MetricSample([MetricLabel("direction", "undelivered")], counters.undelivered),
                MetricSample([MetricLabel("direction", "received")], counters.received),
                MetricSample([MetricLabel("direction", "refused")], counters.refusedPayloads),
            ])
        out.counter(
            "persona_node_matchmaking_total", help: "Shared-queue matchmaking by outcome.",
            [
                MetricSample([MetricLabel("outcome", "claim_scripts")], counters.claims),
                MetricSample([MetricLabel("outcome", "paired")], counters.pairsMade),
                MetricSample([MetricLabel("outcome", "unmatched")], counters.unmatched),
                MetricSample([MetricLabel("outcome", "redis_failed")], counters.matchFailures),
            ])
        out.counter(
            "persona_node_presence_total", help: "Presence entries written, refused (tenant full) and removed.",
            [
                MetricSample([MetricLabel("outcome", "renewed")], counters.presenceRenewed),
                MetricSample([MetricLabel("outcome", "refused")], counters.presenceRefused),
                MetricSample([MetricLabel("outcome", "removed")], counters.presenceRemoved),
            ])
        out.counter(
            "persona_node_releases_total", help: "Sessions handed over between nodes by a resume, by direction.",
            [
                MetricSample([MetricLabel("direction", "asked")], counters.releasesAsked),
                MetricSample([MetricLabel("direction", "received")], counters.releasesReceived),
            ])
        out.counter("persona_node_heartbeats_total", help: "Node heartbeats run.", [MetricSample([], counters.heartbeats)])
    }
}
