import Foundation
import JSON

/// The outcome of `persona bench chat`, as text for people or JSON for scripts.
struct BenchChatReport: Sendable {
    var options: BenchChatOptions
    var connectionsOpened = 0
    var sessionsStarted = 0
    var humanSessions = 0
    var startSeconds = 0.0
    var measuredSeconds = 0.0
    var sent = 0
    var replies = 0
    var tokens = 0
    var relayed = 0
    var firstToken = BenchLatencyHistogram()
    var fullReply = BenchLatencyHistogram()
    var sessionStart = BenchLatencyHistogram()
    var errorsByCode: [String: Int] = [:]
    var serverRSSAfterStartKiB: Int?
    var serverRSSAtEndKiB: Int?
    var serverCPUSeconds: Double?

    var errors: Int { errorsByCode.values.reduce(0, +) }
    var repliesPerSecond: Double { measuredSeconds > 0 ? Double(replies) / measuredSeconds : 0 }
    var tokensPerSecond: Double { measuredSeconds > 0 ? Double(tokens) / measuredSeconds : 0 }

    private func ms(_ nanoseconds: UInt64) -> String { String(format: "%.3f", Double(nanoseconds) / 1e6) }

    private func percentiles(_ h: BenchLatencyHistogram) -> String {
        guard h.count > 0 else { return "n/a" }
        return "p50 \(ms(h.value(atQuantile: 0.5))) ms  p95 \(ms(h.value(atQuantile: 0.95))) ms  "
            + "p99 \(ms(h.value(atQuantile: 0.99))) ms  max \(ms(h.maximum)) ms"
    }

    var text: String {
        var lines: [String] = []
        lines.append("connections  \(connectionsOpened)/\(options.sessions) open")
        lines.append(
            "sessions     \(sessionsStarted)/\(options.sessions) started in \(String(format: "%.2f", startSeconds)) s"
                + " (\(options.mode.rawValue); \(humanSessions) human, \(sessionsStarted - humanSessions) bot)"
                + "  start \(percentiles(sessionStart))")
        let rate = options.rate > 0 ? "\(options.rate)/s per session" : "back to back"
        lines.append(
            "messages     \(sent) sent (\(rate)), \(replies) replies, \(relayed) relayed in \(String(format: "%.2f", measuredSeconds)) s"
                + " = \(String(format: "%.0f", repliesPerSecond)) replies/s")
        lines.append("tokens       \(tokens) = \(String(format: "%.0f", tokensPerSecond)) tokens/s")
        lines.append("first token  \(percentiles(firstToken))")
        lines.append("full reply   \(percentiles(fullReply))")
        let errorList = errorsByCode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
            separator: ", ")
        lines.append("errors       \(errors)" + (errorList.isEmpty ? "" : " (\(errorList))"))
        if let rss = serverRSSAfterStartKiB {
            let per = sessionsStarted > 0 ? Double(rss) / Double(sessionsStarted) : 0
            lines.append(
                "server RSS   \(rss) KiB with every session open (\(String(format: "%.1f", per)) KiB/session incl. baseline)"
                    + (serverRSSAtEndKiB.map { ", \($0) KiB at end" } ?? ""))
        }
        if let cpu = serverCPUSeconds {
            let perToken = tokens > 0 ? String(format: ", %.2f µs per token", cpu * 1e6 / Double(tokens)) : ""
            lines.append("server CPU   \(String(format: "%.2f", cpu)) s while measuring\(perToken)")
        }
        return lines.joined(separator: "\n")
    }

    var json: String {
        func latency(_ h: BenchLatencyHistogram) -> JSONValue {
            .object([
                "count": .integer(Int64(h.count)),
                "p50_ms": .double(Double(h.value(atQuantile: 0.5)) / 1e6),
                "p95_ms": .double(Double(h.value(atQuantile: 0.95)) / 1e6),
                "p99_ms": .double(Double(h.value(atQuantile: 0.99)) / 1e6),
                "max_ms": .double(Double(h.count > 0 ? h.maximum : 0) / 1e6),
            ])
        }
        var object: [(String, JSONValue)] = [
            ("mode", .string(options.mode.rawValue)),
            ("sessions_requested", .integer(Int64(options.sessions))),
            ("connections_opened", .integer(Int64(connectionsOpened))),
            ("sessions_started", .integer(Int64(sessionsStarted))),
            ("human_sessions", .integer(Int64(humanSessions))),
            ("start_seconds", .double(startSeconds)),
            ("measured_seconds", .double(measuredSeconds)),
            ("messages_sent", .integer(Int64(sent))),
            ("replies", .integer(Int64(replies))),
            ("relayed", .integer(Int64(relayed))),
            ("replies_per_second", .double(repliesPerSecond)),
            ("tokens", .integer(Int64(tokens))),
            ("tokens_per_second", .double(tokensPerSecond)),
            ("time_to_first_token", latency(firstToken)),
            ("full_reply", latency(fullReply)),
            ("session_start", latency(sessionStart)),
            ("errors", .integer(Int64(errors))),
            (
                "errors_by_code",
                .object(
                    JSONObject(
                        errorsByCode.sorted { $0.key < $1.key }.map {
                            ($0.key, JSONValue.integer(Int64($0.value)))
                        }))
            ),
        ]
        if let rss = serverRSSAfterStartKiB {
            object.append(("server_rss_kib_after_start", .integer(Int64(rss))))
        }
        if let rss = serverRSSAtEndKiB { object.append(("server_rss_kib_at_end", .integer(Int64(rss)))) }
        if let cpu = serverCPUSeconds {
            object.append(("server_cpu_seconds", .double(cpu)))
            if tokens > 0 {
                object.append(("server_cpu_microseconds_per_token", .double(cpu * 1e6 / Double(tokens))))
            }
        }
        return JSONValue.object(JSONObject(object)).serialized()
    }
}
