import JSON
import Observability
import Testing

@Suite("Prometheus text exposition 0.0.4")
struct PrometheusExpositionTests {
    @Test("writes HELP and TYPE lines, then samples with labels in order")
    func counterAndGauge() {
        var exposition = PrometheusExposition()
        exposition.counter(
            "persona_messages_in_total", help: "Client messages accepted.", [MetricSample([], 42)])
        exposition.gauge(
            "persona_sessions", help: "Live sessions.", [MetricSample([MetricLabel("kind", "bot")], 3)])
        #expect(
            exposition.text == """
                # HELP persona_messages_in_total Client messages accepted.
                # TYPE persona_messages_in_total counter
                persona_messages_in_total 42
                # HELP persona_sessions Live sessions.
                # TYPE persona_sessions gauge
                persona_sessions{kind="bot"} 3

                """)
    }

    @Test(
        "escapes label values and HELP text",
        arguments: [
            (#"a\b"#, #"a\\b"#), (#"say "hi""#, #"say \"hi\""#), ("two\nlines", #"two\nlines"#),
            ("plain", "plain"),
        ])
    func escaping(raw: String, escaped: String) {
        #expect(PrometheusExposition.escapeLabelValue(raw) == escaped)
        #expect(PrometheusExposition.escapeHelp("x\\y\nz") == #"x\\y\nz"#)
    }

    @Test("writes whole numbers as integers and non-finite values by name")
    func numbers() {
        #expect(PrometheusExposition.format(3) == "3")
        #expect(PrometheusExposition.format(0.25) == "0.25")
        #expect(PrometheusExposition.format(.infinity) == "+Inf")
        #expect(PrometheusExposition.format(-.infinity) == "-Inf")
        #expect(PrometheusExposition.format(.nan) == "NaN")
    }

    @Test(
        "validates metric and label names",
        arguments: [
            ("persona_up", true), ("a:b_c9", true), ("9lives", false), ("bad-name", false), ("", false),
        ])
    func names(name: String, valid: Bool) {
        #expect(PrometheusExposition.isValidMetricName(name) == valid)
    }

    @Test("label names exclude colons and the reserved __ prefix")
    func labelNames() {
        #expect(PrometheusExposition.isValidLabelName("personality"))
        #expect(!PrometheusExposition.isValidLabelName("__name"))
        #expect(!PrometheusExposition.isValidLabelName("a:b"))
    }

    @Test("writes a histogram as cumulative buckets ending in +Inf, then sum and count")
    func histogram() {
        var histogram = Histogram(upperBounds: [0.1, 1])
        for value in [0.05, 0.1, 0.5, 3] { histogram.observe(value) }
        #expect(histogram.cumulativeCounts == [2, 3, 4])
        var exposition = PrometheusExposition()
        exposition.histogram("latency_seconds", help: "h", [(labels: [], histogram: histogram)])
        #expect(
            exposition.text.split(separator: "\n").dropFirst(2) == [
                #"latency_seconds_bucket{le="0.1"} 2"#, #"latency_seconds_bucket{le="1"} 3"#,
                #"latency_seconds_bucket{le="+Inf"} 4"#, "latency_seconds_sum 3.65",
                "latency_seconds_count 4",
            ])
    }

    @Test("a histogram sorts its bounds and drops duplicates and non-finite ones")
    func histogramBounds() {
        #expect(Histogram(upperBounds: [1, 0.5, 1, .infinity, .nan]).upperBounds == [0.5, 1])
    }

    @Test(
        "the real prometheus_client parser reads back every value, label and escape",
        .enabled(
            if: PrometheusParser.isAvailable,
            "python3 'prometheus_client' is not installed (pip install prometheus-client)"))
    func parsedByPrometheusClient() throws {
        var histogram = Histogram(upperBounds: [0.01, 0.1])
        for value in [0.005, 0.02, 0.02, 7] { histogram.observe(value) }
        var exposition = PrometheusExposition()
        exposition.counter(
            "demo_events_total", help: "Events with a \\ backslash\nand a newline.",
            [
                MetricSample([MetricLabel("path", #"C:\dir "q" line"# + "\nnext")], 5),
                MetricSample([MetricLabel("path", "")], 0),
            ])
        exposition.gauge(
            "demo_temperature", help: "g",
            [MetricSample([], -1.5), MetricSample([MetricLabel("x", "inf")], .infinity)])
        exposition.histogram(
            "demo_wait_seconds", help: "w", [(labels: [MetricLabel("kind", "bot")], histogram: histogram)])

        let families = try PrometheusParser.parse(exposition.text)
        #expect(families.map(\.name) == ["demo_events", "demo_temperature", "demo_wait_seconds"])
        #expect(families.map(\.type) == ["counter", "gauge", "histogram"])
        #expect(families[0].help == "Events with a \\ backslash\nand a newline.")
        #expect(families[0].samples[0].labels == ["path": #"C:\dir "q" line"# + "\nnext"])
        #expect(families[0].samples[0].value.number == 5)
        #expect(families[1].samples.map(\.value) == [.double(-1.5), .string("+Inf")])
        let buckets = families[2].samples.filter { $0.name == "demo_wait_seconds_bucket" }
        #expect(buckets.map { $0.labels["le"] } == ["0.01", "0.1", "+Inf"])
        #expect(buckets.map { $0.value.number } == [1, 3, 4])
        #expect(families[2].samples.first { $0.name == "demo_wait_seconds_count" }?.value.number == 4)
        let sum = try #require(families[2].samples.first { $0.name == "demo_wait_seconds_sum" }?.value.number)
        #expect(abs(sum - 7.045) < 1e-9)
    }
}
