import CLI
import Foundation
import Reactor

/// `persona bench echo`: loads a WebSocket echo endpoint and reports throughput and round-trip
/// latency.
enum BenchEchoCommand {
    /// The command's declaration.
    static let command = Command(
        name: "echo",
        abstract: "Load a WebSocket echo endpoint and report throughput and round-trip latency.",
        discussion: """
            Opens --connections WebSocket connections (spread over 127.0.0.x source addresses \
            when many), keeps --in-flight messages outstanding on each, and reports connect \
            time, messages per second, round-trip percentiles, errors and, with --server-pid, \
            the server's resident memory. Stops by itself after --duration or --messages; exits \
            1 if any error occurred.
            """,
        options: [
            .option(
                "url", type: .string, default: "ws://127.0.0.1:8080/v1/echo",
                help: "Echo endpoint, ws://host:port/path."),
            .option(
                "connections", short: "c", type: .int(1...50_000), default: "100",
                help: "Concurrent connections."),
            .option(
                "in-flight", type: .int(1...1024), default: "1", help: "Messages outstanding per connection."),
            .option("size", type: .int(0...(16 << 20)), default: "32", help: "Payload bytes per message."),
            .flag("text", help: "Send text messages instead of binary."),
            .flag(
                "socketio",
                help:
                    "Speak Socket.IO to ws://HOST:PORT/socket.io/?EIO=4&transport=websocket: emit `message`, expect `message-back` (as `persona serve --socketio-echo`)."
            ),
            .option("duration", type: .duration(.milliseconds(100) ... .seconds(3600)), default: "10s", help: "How long to measure (10s, 1m, or seconds)."),
            .option(
                "messages", type: .int(1...1_000_000_000),
                help: "Total messages to exchange (instead of --duration)."),
        ] + LoadGeneratorOptions.shared(unit: "connections", serverReport: "Report this process's VmRSS."),
        run: run)

    /// Parses values into ``BenchEchoOptions`` and runs.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let target = try LoadGeneratorOptions.target(values, example: "ws://127.0.0.1:8080/v1/echo")
        var options = BenchEchoOptions(address: target.address, host: target.host, path: target.path)
        options.connections = try values.int("connections")
        options.inFlight = try values.int("in-flight")
        options.size = try values.int("size")
        options.text = values.flag("text")
        options.socketIO = values.flag("socketio")
        options.duration = try values.duration("duration")
        options.messages = try values.intIfPresent("messages")
        options.loops = try values.int("loops")
        options.sourceAddresses =
            try values.intIfPresent("source-addresses") ?? max(1, (options.connections + 9_999) / 10_000)
        options.serverPID = try values.intIfPresent("server-pid")
        options.json = values.flag("json")
        let progress = isatty(1) == 1 && !options.json ? context.stdout : nil
        let report = try BenchEchoRun.run(options, progress: progress)
        context.stdout.writeLine(options.json ? report.json : report.text)
        if report.errors > 0 { throw CommandFailure("\(report.errors) errors during the run") }
    }
}
