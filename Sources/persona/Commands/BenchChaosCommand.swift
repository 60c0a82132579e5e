import CLI
import ChatChaos
import Foundation

/// `persona bench chaos`: the protocol chaos model against a running server.
enum BenchChaosCommand {
    static let command = Command(
        name: "chaos",
        abstract: "Drive a server with seeded virtual users doing random walks over the chat protocol.",
        discussion: """
            --users virtual users connect and drop at random, hold several sessions each \\
            (direct and random), send messages from the empty string to one past the input \\
            limit (emoji, combining marks, right-to-left), cancel, end twice, ask for next, \\
            flood typing, name other connections' sessions, reuse ids and send about 5% \\
            invalid frames, for --duration seconds; every --burst-every seconds a fifth of \\
            them connect at once, and with --server-pid the server is sent SIGHUP every \\
            --reload-every seconds. Every frame is checked against the protocol's invariants. \\
            Then every user pings and leaves (or, with --drain, the server is sent SIGTERM), \\
            and /metrics must show no connection and no session. Prints the counts, the \\
            server's memory, descriptors and gauges before and after, and each broken \\
            invariant with the seed and the frames of the session concerned; exits 1 if any.
            """,
        options: [
            .option(
                "url", type: .string, default: "ws://127.0.0.1:8080/v1/ws",
                help: "Chat endpoint, ws://host:port/path."),
            .option("users", short: "n", type: .int(1...20_000), default: "100", help: "Virtual users."),
            .option("duration", type: .double(0.5...3600), default: "10", help: "Seconds of random walking."),
            .option("seed", type: .int(0...Int.max), default: "1", help: "The model's seed."),
            .option(
                "personalities", type: .string,
                default: "captain-redbeard,general-assistant,eliza,hanna,professor-pi",
                help: "Comma-separated personalities direct sessions ask for (a missing one is added)."),
            .option(
                "input-limits", type: .string, default: "2000",
                help: "Comma-separated max_input_chars in force, for texts at and one past each."),
            .option(
                "think-ms", type: .int(1...60_000), default: "200",
                help: "Longest pause between a user's steps."),
            .option(
                "burst-every", type: .double(0...3600), default: "2",
                help: "Seconds between connection bursts (0: none)."),
            .option(
                "reload-every", type: .double(0...3600), default: "3",
                help: "Seconds between SIGHUP reloads (0: none)."),
            .option(
                "server-pid", type: .int(1...Int(Int32.max)),
                help: "The server: memory, descriptors, SIGHUP, SIGTERM."),
            .flag("drain", help: "End with SIGTERM to --server-pid instead of the users leaving."),
        ],
        run: run)

    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        var options = BenchChaosOptions(
            target: try LoadGeneratorOptions.target(values, example: "ws://127.0.0.1:8080/v1/ws"))
        options.users = try values.int("users")
        options.duration = .milliseconds(Int64(try values.double("duration") * 1000))
        options.seed = UInt64(try values.int("seed"))
        options.personalities = try values.string("personalities").split(separator: ",").map(String.init)
        options.inputLimits = try values.string("input-limits").split(separator: ",").compactMap { Int($0) }
        options.thinkMilliseconds = try values.int("think-ms")
        let burst = try values.double("burst-every")
        options.burstEvery = burst > 0 ? .milliseconds(Int64(burst * 1000)) : nil
        let reload = try values.double("reload-every")
        options.reloadEvery = reload > 0 ? .milliseconds(Int64(reload * 1000)) : nil
        options.serverPID = try values.intIfPresent("server-pid")
        options.drain = values.flag("drain")
        if options.drain, options.serverPID == nil { throw UsageError.invalid("--drain needs --server-pid") }
        ServeCommand.raiseOpenFileLimit()
        let result = try BenchChaosRun.run(options)
        context.stdout.writeLine(result.text)
        if !result.outcome.violations.isEmpty {
            throw CommandFailure(
                "\(result.outcome.violations.count) invariant violations (seed \(options.seed))")
        }
    }
}
