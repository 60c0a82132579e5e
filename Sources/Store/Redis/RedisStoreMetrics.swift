import Observability

/// The Redis store's counters as Prometheus families, for `/metrics`.
public enum RedisStoreMetrics {
    /// Appends the store's families for `stats`.
    public static func render(_ stats: RedisStoreStatistics, into out: inout PrometheusExposition) {
        out.counter(
            "persona_redis_store_writes_total", help: "Transactions the Redis session store committed.",
            [MetricSample([], stats.writes)])
        out.counter(
            "persona_redis_store_failed_writes_total",
            help: "Transactions the Redis session store could not commit (their messages were refused).",
            [MetricSample([], stats.failedWrites)])
        out.counter(
            "persona_redis_store_connects_total",
            help: "Connections to Redis made and handshaken (more than one after Redis came back).",
            [MetricSample([], stats.connects)])
    }
}
