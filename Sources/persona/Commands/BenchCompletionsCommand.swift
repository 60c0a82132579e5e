import CLI
import Dispatch
import Foundation
import JSON
import Reactor
import Synchronization

/// `persona bench completions`: streaming OpenAI chat completions against `persona serve`,
/// optionally beside the same load on `/v1/ws` in the same run, so the two doors onto one hub
/// are compared at the same moment on the same machine.
enum BenchCompletionsCommand {
    static let command = Command(
        name: "completions",
        abstract: "Load /v1/chat/completions with concurrent streams; compare with /v1/ws in the same run.",
        discussion: """
            Opens --streams keep-alive HTTP connections; each sends `stream: true` chat \\
            completions to --model back to back for --duration seconds, reading the events as \\
            they arrive. Reports completions/s, tokens/s (content chunks), time to the first \\
            content chunk and to the whole completion (p50/p99). With --compare-ws, then runs \\
            the same number of /v1/ws sessions back to back for the same time (as `persona bench \\
            chat --rate 0`) and prints the SSE/WS tokens-per-second ratio. Stops by itself.
            """,
        options: [
            .option("url", type: .string, default: "http://127.0.0.1:8080", help: "Server base URL, http://host:port."),
            .option("streams", short: "n", type: .int(1...20_000), default: "100", help: "Concurrent streams."),
            .option("model", type: .string, default: "bench-bot", help: "The personality to ask."),
            .option("text", type: .string, default: "hello", help: "The user message."),
            .option("duration", type: .double(0.1...600), default: "5", help: "Seconds to measure."),
            .option("loops", type: .int(1...64), default: "1", help: "Event loop threads of the load generator."),
            .flag("compare-ws", help: "Also run the same load over /v1/ws and print the ratio."),
            .flag("json", help: "Print the summary as one JSON object."),
        ],
        run: run)

    struct Result: Sendable {
        var streams = 0
        var seconds = 0.0
        var completions = 0
        var tokens = 0
        var firstToken = BenchLatencyHistogram()
        var full = BenchLatencyHistogram()
        var errors: [String: Int] = [:]
        var completionsPerSecond: Double { seconds > 0 ? Double(completions) / seconds : 0 }
        var tokensPerSecond: Double { seconds > 0 ? Double(tokens) / seconds : 0 }
    }

    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let url = try values.string("url").replacingOccurrences(of: "://localhost:", with: "://127.0.0.1:")
        guard url.hasPrefix("http://"), let colon = url.dropFirst(7).lastIndex(of: ":"),
            let port = Int(url[url.index(after: colon)...].prefix { $0.isNumber })
        else { throw UsageError.invalid("--url must look like http://127.0.0.1:8080, got '\(url)'") }
        let host = String(url.dropFirst(7)[..<colon])
        let address: SocketAddress
        do { address = try SocketAddress(host: host, port: port) } catch {
            throw UsageError.invalid("--url: \(error)")
        }
        let streams = try values.int("streams")
        let model = try values.string("model")
        let text = try values.string("text")
        let duration = Duration.milliseconds(Int64(try values.double("duration") * 1000))
        let loops = try values.int("loops")
        ServeCommand.raiseOpenFileLimit()
        let sse = try measure(
            address: address, host: host, port: port, streams: streams, model: model, text: text,
            duration: duration, loops: loops)
        var ws: BenchChatReport?
        if values.flag("compare-ws") {
            var options = BenchChatOptions(address: address, host: "\(host):\(port)", path: "/v1/ws")
            options.sessions = streams
            options.personality = model
            options.rate = 0
            options.text = text
            options.duration = duration
            options.loops = loops
            ws = try BenchChatRun.run(options, progress: nil)
        }
        let ratio = ws.map { $0.tokensPerSecond > 0 ? sse.tokensPerSecond / $0.tokensPerSecond : 0 }
        if values.flag("json") {
            var object: JSONObject = [
                "streams": .integer(Int64(streams)), "completions_per_second": .double(sse.completionsPerSecond),
                "sse_tokens_per_second": .double(sse.tokensPerSecond),
                "first_token_p50_ms": .double(Double(sse.firstToken.value(atQuantile: 0.5)) / 1e6),
                "first_token_p99_ms": .double(Double(sse.firstToken.value(atQuantile: 0.99)) / 1e6),
                "errors": .integer(Int64(sse.errors.values.reduce(0, +))),
            ]
            if let ws, let ratio {
                object["ws_tokens_per_second"] = .double(ws.tokensPerSecond)
                object["ws_first_token_p50_ms"] = .double(Double(ws.firstToken.value(atQuantile: 0.5)) / 1e6)
                object["ws_first_token_p99_ms"] = .double(Double(ws.firstToken.value(atQuantile: 0.99)) / 1e6)
                object["sse_to_ws_ratio"] = .double(ratio)
            }
            context.stdout.writeLine(JSONValue.object(object).serialized())
        } else {
            func ms(_ h: BenchLatencyHistogram, _ q: Double) -> String {
                String(format: "%.2f", Double(h.value(atQuantile: q)) / 1e6)
            }
            context.stdout.writeLine(
                "sse   \(streams) streams: \(sse.completions) completions = \(String(format: "%.0f", sse.completionsPerSecond))/s, "
                    + "\(String(format: "%.0f", sse.tokensPerSecond)) tokens/s, first token p50 \(ms(sse.firstToken, 0.5)) ms "
                    + "p99 \(ms(sse.firstToken, 0.99)) ms, completion p50 \(ms(sse.full, 0.5)) ms p99 \(ms(sse.full, 0.99)) ms, "
                    + "errors \(sse.errors.values.reduce(0, +))")
            if let ws, let ratio {
                context.stdout.writeLine(
                    "ws    \(streams) sessions: \(ws.replies) replies = \(String(format: "%.0f", ws.repliesPerSecond))/s, "
                        + "\(String(format: "%.0f", ws.tokensPerSecond)) tokens/s, first token p50 \(ms(ws.firstToken, 0.5)) ms "
                        + "p99 \(ms(ws.firstToken, 0.99)) ms, errors \(ws.errors)")
                context.stdout.writeLine("ratio SSE/WS tokens per second: \(String(format: "%.2f", ratio))")
            }
        }
        let errors = sse.errors.values.reduce(0, +) + (ws?.errors ?? 0)
        if errors > 0 { throw CommandFailure("\(errors) errors during the run") }
    }

    /// One SSE measurement: connect every stream, run for `duration`, close.
    static func measure(
        address: SocketAddress, host: String, port: Int, streams: Int, model: String, text: String,
        duration: Duration, loops: Int
    ) throws -> Result {
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        writer.member("model", model)
        writer.member("stream", true)
        writer.key("messages")
        writer.beginArray()
        writer.beginObject()
        writer.member("role", "user")
        writer.member("content", text)
        writer.endObject()
        writer.endArray()
        writer.endObject()
        let body = writer.finish()
        let request = Array(
            ("POST /v1/chat/completions HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer bench\r\nContent-Length: \(body.count)\r\n\r\n").utf8) + body
        let group = try EventLoopGroup(loops: loops)
        defer { group.shutdown() }
        let workers = group.loops.map {
            LoopBound(BenchCompletionsWorker(loop: $0, address: address, request: request), loop: $0)
        }
        let step = DispatchSemaphore(value: 0)
        for (index, worker) in workers.enumerated() {
            let count = streams / workers.count + (index < streams % workers.count ? 1 : 0)
            worker.loop.execute { worker.value.connect(count: count) { step.signal() } }
        }
        for _ in workers { _ = step.wait(timeout: .now() + 60) }
        let start = MonotonicClock().now()
        let deadline = start.advanced(by: duration).nanoseconds
        for worker in workers {
            worker.loop.execute { worker.value.measure(until: deadline) { step.signal() } }
        }
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        for _ in workers { _ = step.wait(timeout: .now() + seconds + 30) }
        let elapsed = Double(MonotonicClock().now().nanoseconds - start.nanoseconds) / 1e9
        let result = Mutex(Result(streams: streams, seconds: elapsed))
        for worker in workers {
            worker.loop.execute {
                let w = worker.value
                result.withLock { r in
                    r.completions += w.completions
                    r.tokens += w.tokens
                    r.firstToken.merge(w.firstToken)
                    r.full.merge(w.fullCompletion)
                    for (code, count) in w.errorsByCode { r.errors[code, default: 0] += count }
                }
                w.closeAll()
                step.signal()
            }
        }
        for _ in workers { _ = step.wait(timeout: .now() + 10) }
        return result.withLock { $0 }
    }
}
