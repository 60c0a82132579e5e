import CLI
import Foundation
import Reactor

/// `persona bench chat`: a load generator for the chat protocol on the project's own
/// WebSocket client.
enum BenchChatCommand {
    static let command = Command(
        name: "chat",
        abstract: "Load the chat endpoint with concurrent sessions; report throughput and latency.",
        discussion: """
            Opens --sessions connections with one session each (direct to --personality, \
            random, or a mix), then each session sends --rate messages per second (0: the next \
            as soon as the reply ended) for --duration seconds or until --messages were sent. \
            Reports connections, sessions, replies/s, tokens/s, time to first token and full \
            reply latency (p50/p95/p99/max), errors by code and, with --server-pid, the \
            server's memory and CPU. Stops by itself; exits 1 if any error occurred.
            """,
        options: [
            .option(
                "url", type: .string, default: "ws://127.0.0.1:8080/v1/ws",
                help: "Chat endpoint, ws://host:port/path."),
            .option(
                "sessions", short: "n", type: .int(1...50_000), default: "100", help: "Concurrent sessions."),
            .option(
                "mode", type: .choice(of: BenchChatOptions.Mode.self), default: "direct",
                help: "How sessions start: direct, random or mix (alternating)."),
            .option(
                "personality", type: .string, default: "general-assistant",
                help: "Personality of direct sessions."),
            .option(
                "rate", type: .double(0...10_000), default: "1",
                help: "Messages per second per session; 0 sends the next as soon as the reply ends."),
            .option("text", type: .string, default: "hello", help: "What every message says."),
            .option("duration", type: .duration(.milliseconds(100) ... .seconds(3600)), default: "10s", help: "How long to measure (10s, 1m, or seconds)."),
            .option(
                "messages", type: .int(1...1_000_000_000),
                help: "Total messages to send (instead of --duration)."),
        ] + LoadGeneratorOptions.shared(unit: "sessions", serverReport: "Report this process's memory and CPU time."),
        run: run)

    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let target = try LoadGeneratorOptions.target(values, example: "ws://127.0.0.1:8080/v1/ws")
        var options = BenchChatOptions(address: target.address, host: target.host, path: target.path)
        options.sessions = try values.int("sessions")
        options.mode = try values.choice("mode", as: BenchChatOptions.Mode.self)
        options.personality = try values.string("personality")
        options.rate = try values.double("rate")
        options.text = try values.string("text")
        options.duration = try values.duration("duration")
        options.messages = try values.intIfPresent("messages")
        options.loops = try values.int("loops")
        options.sourceAddresses =
            try values.intIfPresent("source-addresses") ?? max(1, (options.sessions + 9_999) / 10_000)
        options.serverPID = try values.intIfPresent("server-pid")
        options.json = values.flag("json")
        ServeCommand.raiseOpenFileLimit()
        let progress = isatty(2) == 1 && !options.json ? context.stderr : nil
        let report = try BenchChatRun.run(options, progress: progress)
        context.stdout.writeLine(options.json ? report.json : report.text)
        if report.errors > 0 { throw CommandFailure("\(report.errors) errors during the run") }
    }
}
