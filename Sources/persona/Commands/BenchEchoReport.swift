import Foundation

/// The outcome of `persona bench echo`, as text for people or JSON for scripts.
struct BenchEchoReport: Sendable {
    var connectionsRequested: Int
    var connectionsOpened: Int
    var connectPhaseSeconds: Double
    var connectTimes: BenchLatencyHistogram
    var messages: Int
    var measuredSeconds: Double
    var roundTrips: BenchLatencyHistogram
    var errors: Int
    var errorSamples: [String]
    var serverRSSAfterConnectKiB: Int?
    var serverRSSAtEndKiB: Int?
    var size: Int
    var inFlight: Int
    /// Server CPU time (user + system) spent during the measured exchange, when known.
    var serverCPUSeconds: Double?

    /// Server CPU microseconds per echoed message: a figure that, unlike messages per second,
    /// barely moves when other processes compete for the cores.
    var serverMicrosecondsPerMessage: Double? {
        guard let cpu = serverCPUSeconds, messages > 0 else { return nil }
        return cpu * 1e6 / Double(messages)
    }

    var messagesPerSecond: Double { measuredSeconds > 0 ? Double(messages) / measuredSeconds : 0 }

    private func ms(_ nanoseconds: UInt64) -> String { String(format: "%.3f", Double(nanoseconds) / 1e6) }

    /// Human-readable lines.
    var text: String {
        var lines: [String] = []
        lines.append(
            "connections  \(connectionsOpened)/\(connectionsRequested) open in \(String(format: "%.2f", connectPhaseSeconds)) s"
                + "  (connect p50 \(ms(connectTimes.value(atQuantile: 0.5))) ms, p99 \(ms(connectTimes.value(atQuantile: 0.99))) ms, max \(ms(connectTimes.maximum)) ms)"
        )
        lines.append(
            "messages     \(messages) of \(size) B, \(inFlight) in flight per connection, in \(String(format: "%.2f", measuredSeconds)) s"
        )
        lines.append("throughput   \(String(format: "%.0f", messagesPerSecond)) msg/s")
        lines.append(
            "round trip   p50 \(ms(roundTrips.value(atQuantile: 0.5))) ms  p90 \(ms(roundTrips.value(atQuantile: 0.9))) ms"
                + "  p99 \(ms(roundTrips.value(atQuantile: 0.99))) ms  max \(ms(roundTrips.maximum)) ms")
        if let cpu = serverCPUSeconds, let perMessage = serverMicrosecondsPerMessage {
            lines.append(
                "server CPU   \(String(format: "%.2f", cpu)) s, \(String(format: "%.2f", perMessage)) µs per message"
            )
        }
        lines.append(
            "errors       \(errors)"
                + (errorSamples.isEmpty ? "" : "  e.g. " + errorSamples.joined(separator: "; ")))
        if let rss = serverRSSAfterConnectKiB {
            let perConnection = connectionsOpened > 0 ? Double(rss) / Double(connectionsOpened) : 0
            lines.append(
                "server RSS   \(rss) KiB after connect (\(String(format: "%.1f", perConnection)) KiB/connection incl. baseline)"
                    + (serverRSSAtEndKiB.map { ", \($0) KiB at end" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }

    /// One JSON object.
    var json: String {
        func histogram(_ h: BenchLatencyHistogram) -> String {
            "{\"count\":\(h.count),\"p50_ms\":\(ms(h.value(atQuantile: 0.5))),\"p90_ms\":\(ms(h.value(atQuantile: 0.9))),"
                + "\"p99_ms\":\(ms(h.value(atQuantile: 0.99))),\"max_ms\":\(ms(h.count == 0 ? 0 : h.maximum))}"
        }
        let samples = errorSamples.map { sample -> String in
            let escaped = sample.unicodeScalars.map { scalar -> String in
                switch scalar {
                case "\"": return "\\\""
                case "\\": return "\\\\"
                default: return scalar.value < 0x20 ? String(format: "\\u%04x", scalar.value) : String(scalar)
                }
            }.joined()
            return "\"\(escaped)\""
        }
        var fields = [
            "\"connections_requested\":\(connectionsRequested)",
            "\"connections_opened\":\(connectionsOpened)",
            "\"connect_phase_s\":\(String(format: "%.3f", connectPhaseSeconds))",
            "\"connect\":\(histogram(connectTimes))",
            "\"messages\":\(messages)",
            "\"size\":\(size)",
            "\"in_flight\":\(inFlight)",
            "\"measured_s\":\(String(format: "%.3f", measuredSeconds))",
            "\"messages_per_second\":\(String(format: "%.1f", messagesPerSecond))",
            "\"round_trip\":\(histogram(roundTrips))",
            "\"errors\":\(errors)",
            "\"error_samples\":[\(samples.joined(separator: ","))]",
        ]
        if let rss = serverRSSAfterConnectKiB { fields.append("\"server_rss_after_connect_kib\":\(rss)") }
        if let cpu = serverCPUSeconds { fields.append("\"server_cpu_s\":\(String(format: "%.3f", cpu))") }
        if let perMessage = serverMicrosecondsPerMessage {
            fields.append("\"server_cpu_us_per_message\":\(String(format: "%.3f", perMessage))")
        }
        if let rss = serverRSSAtEndKiB { fields.append("\"server_rss_at_end_kib\":\(rss)") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// User + system CPU seconds of `pid` so far, from `/proc/<pid>/stat` (clock ticks).
    static func cpuSeconds(pid: Int) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the parenthesised command: state is field 3, utime 14, stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else {
            return nil
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// `VmRSS` of `pid` in KiB, from `/proc/<pid>/status`.
    static func residentKiB(pid: Int) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
            return nil
        }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }
}
