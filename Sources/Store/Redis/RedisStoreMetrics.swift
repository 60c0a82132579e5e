import Observability

/// The Redis store's counters as Prometheus families, for `/metrics`.
public enum RedisStoreMetrics {
    /// Appends the store's families for `stats`.
    public static func render(_ stats: RedisStoreStatistics, into out: inout PrometheusExposition) {
        out.counter(
            "persona_redis_store_writes_total", help: "Writes (turn scripts and transactions) the Redis session store committed.",
            [MetricSample([], stats.writes)])
        out.counter(
            "persona_redis_store_scripts_total",
            help: "Writes made as one turn-script call, by how it was sent (noscript_eval: answered NOSCRIPT, sent again as EVAL).",
            [
                MetricSample([MetricLabel("sent", "script")], stats.scripts),
                MetricSample([MetricLabel("sent", "noscript_eval")], stats.scriptFallbacks),
            ])
        out.counter(
            "persona_redis_store_failed_writes_total",
            help: "Writes the Redis session store could not commit (their messages were refused).",
            [MetricSample([], stats.failedWrites)])
        out.counter(
            "persona_redis_store_connects_total",
            help: "Connections to Redis made and handshaken (more than one after Redis came back).",
            [MetricSample([], stats.connects)])
        out.counter(
            "persona_redis_cluster_redirects_total",
            help: "Redis Cluster redirects the store's client followed, by kind (0 on one server).",
            [
                MetricSample([MetricLabel("kind", "moved")], stats.moved), MetricSample([MetricLabel("kind", "ask")], stats.asked),
                MetricSample([MetricLabel("kind", "tryagain")], stats.triedAgain),
            ])
        out.counter(
            "persona_redis_cluster_refreshes_total",
            help: "Redis Cluster slot maps the store's client read again (after MOVED or a lost master).",
            [MetricSample([], stats.topologyRefreshes)])
    }
}

extension RedisStoreMetrics {
    /// Appends the shared response cache's families for `stats`.
    public static func render(_ stats: RedisReplyCacheStatistics, into out: inout PrometheusExposition) {
        out.counter(
            "persona_redis_cache_hits_total", help: "Shared response cache lookups answered with another reply.",
            [MetricSample([], stats.hits)])
        out.counter(
            "persona_redis_cache_misses_total", help: "Shared response cache lookups that found nothing.",
            [MetricSample([], stats.misses)])
        out.counter(
            "persona_redis_cache_stores_total", help: "Replies filed in the shared response cache.",
            [MetricSample([], stats.stores)])
        out.counter(
            "persona_redis_cache_too_large_total",
            help: "Replies not shared because they were over the entry bound.", [MetricSample([], stats.tooLarge)])
    }
}

extension RedisStoreMetrics {
    /// Appends the shared rate limit's families for `stats`.
    public static func render(_ stats: RedisSharedRateStatistics, into out: inout PrometheusExposition) {
        out.counter(
            "persona_redis_rate_checks_total", help: "Shared client limit checks by outcome (undecided: Redis did not answer).",
            [
                MetricSample([MetricLabel("outcome", "allowed")], stats.allowed), MetricSample([MetricLabel("outcome", "limited")], stats.limited),
                MetricSample([MetricLabel("outcome", "daily_quota_reached")], stats.quotaReached),
                MetricSample([MetricLabel("outcome", "undecided")], stats.undecided),
            ])
        out.counter(
            "persona_redis_personality_rate_checks_total", help: "Shared personality_rate checks by outcome.",
            [
                MetricSample([MetricLabel("outcome", "allowed")], stats.personalityAllowed),
                MetricSample([MetricLabel("outcome", "limited")], stats.personalityLimited),
            ])
    }
}
