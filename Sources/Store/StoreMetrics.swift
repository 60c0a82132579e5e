import Observability

/// The SQLite store's counters as Prometheus families, for `/metrics`: how many transactions
/// and write requests committed (their ratio is the group commit at work), the largest group,
/// failed writes (a full disk, a broken file) and sessions removed by retention.
public enum StoreMetrics {
    /// Appends the store's families for `stats`.
    public static func render(_ stats: StoreStatistics, into out: inout PrometheusExposition) {
        out.counter(
            "persona_store_commits_total", help: "Transactions the SQLite store committed.",
            [MetricSample([], stats.commits)])
        out.counter(
            "persona_store_writes_total",
            help: "Write requests the SQLite store committed (several per transaction under load).",
            [MetricSample([], stats.requests)])
        out.gauge(
            "persona_store_largest_group", help: "The most write requests one transaction held.",
            [MetricSample([], stats.largestGroup)])
        out.counter(
            "persona_store_failed_writes_total",
            help: "Write requests the SQLite store could not commit (their messages were refused).",
            [MetricSample([], stats.failedWrites)])
        out.counter(
            "persona_store_pruned_sessions_total", help: "Sessions deleted by retention.",
            [MetricSample([], stats.pruned)])
    }
}
