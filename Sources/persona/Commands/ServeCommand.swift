import CLI
import Diagnostics
import HTTPServer
import PersonaRuntime
import PersonaServer
import Personality
import Policies
import Reactor

/// `persona serve`: loads the personalities, runs the chat server (`/v1/ws`) beside `/health`
/// and `/v1/echo` until SIGINT or SIGTERM, then drains.
///
/// The first line on stdout is `persona listening on http://HOST:PORT`, with the real port
/// when `--port 0` asked for an ephemeral one, so scripts and tests can read where to connect;
/// the second says what was loaded.
enum ServeCommand {
    /// Everything `serve` needs, independent of how it was parsed.
    struct Options: Sendable {
        /// Address to bind.
        var host = "127.0.0.1"
        /// Port to bind; 0 picks a free one.
        var port = 8080
        /// Event loops (threads); default one per available core.
        var loops = EventLoopGroup.availableCores
        /// Largest WebSocket message (after reassembly) and frame.
        var maxMessageBytes = 16 << 20
        /// How long a graceful shutdown waits for connections to finish.
        var drainTimeout: Duration = .seconds(10)
        /// Time a client has to send a complete request head (408 after).
        var headerReadTimeout: Duration = .seconds(10)
        /// Where the personalities and rule files are.
        var personalities = "Personalities"
        /// A file read as `limits.yaml` instead of the directory's own.
        var limits: String?
        /// A file read as `routing.yaml` instead of the directory's own.
        var routing: String?
        /// Replaces routing.yaml's matchmaking timeout.
        var matchmakingTimeout: Duration?
        /// How long streaming replies may finish after SIGINT/SIGTERM.
        var drainDeadline: Duration = .seconds(5)
        /// New chat connections per peer IP; nil = unlimited.
        var connectionRateLimit: ConnectionRateLimitConfiguration? = ConnectionRateLimitConfiguration()
        /// Socket.IO at /socket.io/ (ServeCommand+SocketIO.swift); nil serves none.
        var socketIO: SocketIOServerConfiguration?
        /// Admin API, token, --watch and logs (ServeCommand+Operations.swift).
        var operations = OperationsOptions()
    }

    /// The command's declaration.
    static let command = Command(
        name: "serve",
        abstract: "Run the HTTP and WebSocket server.",
        discussion: """
            Loads the personalities (start-up fails with every diagnostic when they do not \
            validate), prints `persona listening on http://HOST:PORT` as its first line and what \
            it loaded as the second, then serves the chat protocol on /v1/ws, /health and \
            /v1/echo until SIGINT or SIGTERM. Then it drains: no new sessions; streaming replies \
            get --drain-deadline seconds to finish; sessions end with `shutdown` and clients get \
            close code 1001; the listener stops and remaining connections get --drain-timeout.
            """,
        options: [
            .option(
                "host", type: .string, default: "127.0.0.1", environment: "PERSONA_HOST",
                help: "Address to listen on."),
            .option(
                "port", short: "p", type: .int(0...65535), default: "8080", environment: "PERSONA_PORT",
                help: "Port to listen on; 0 picks a free port."),
            .option(
                "loops", type: .int(1...256), environment: "PERSONA_LOOPS",
                help: "Event loop threads (default: one per available core)."),
            .option(
                "max-message-bytes", type: .int(1...(1 << 30)), default: String(16 << 20),
                help: "Largest WebSocket message accepted, after reassembly (close 1009 beyond)."),
            .option(
                "drain-timeout", type: .double(0...3600), default: "10",
                help: "Seconds a graceful shutdown waits for connections to finish."),
            .option(
                "personalities", type: .string, default: "Personalities",
                environment: "PERSONA_PERSONALITIES",
                help: "Directory of personality files, limits.yaml and routing.yaml."),
            .option(
                "limits", type: .string, environment: "PERSONA_LIMITS",
                help: "A file used as limits.yaml instead of the directory's own."),
            .option(
                "routing", type: .string, environment: "PERSONA_ROUTING",
                help: "A file used as routing.yaml instead of the directory's own."),
            .option(
                "matchmaking-timeout", type: .double(0...3600), environment: "PERSONA_MATCHMAKING_TIMEOUT",
                help:
                    "Seconds a random chat waits for a human before a bot takes it (overrides routing.yaml)."),
            .option(
                "drain-deadline", type: .double(0...3600), default: "5",
                environment: "PERSONA_DRAIN_DEADLINE",
                help: "Seconds streaming replies may finish after SIGINT/SIGTERM before sessions end."),
            .option(
                "connection-rate", type: .string, default: "20/s", environment: "PERSONA_CONNECTION_RATE",
                help: "New chat connections per client IP (429 beyond), e.g. 20/s or 600/min; 'off' for none."
            ),
            .option(
                "connection-burst", type: .int(0...100_000), default: "40",
                environment: "PERSONA_CONNECTION_BURST",
                help: "Chat connections a client IP may open back to back before --connection-rate applies."),
            .option(
                "header-read-timeout", type: .double(0.01...3600), default: "10",
                help: "Seconds a client has to send a complete request head before 408 (slowloris defence)."),
        ] + socketIOOptions + operationsOptions,
        run: run)

    /// Parses values into ``Options`` and serves.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        var options = Options()
        options.host = try values.string("host")
        options.port = try values.int("port")
        if let loops = try values.intIfPresent("loops") { options.loops = loops }
        options.maxMessageBytes = try values.int("max-message-bytes")
        options.drainTimeout = .milliseconds(Int64(try values.double("drain-timeout") * 1000))
        options.headerReadTimeout = .milliseconds(Int64(try values.double("header-read-timeout") * 1000))
        options.personalities = try values.string("personalities")
        options.limits = values.stringIfPresent("limits")
        options.routing = values.stringIfPresent("routing")
        if let seconds = try values.doubleIfPresent("matchmaking-timeout") {
            options.matchmakingTimeout = .milliseconds(Int64(seconds * 1000))
        }
        options.drainDeadline = .milliseconds(Int64(try values.double("drain-deadline") * 1000))
        let connectionRate = try values.string("connection-rate")
        if connectionRate == "off" {
            options.connectionRateLimit = nil
        } else {
            do {
                options.connectionRateLimit = ConnectionRateLimitConfiguration(
                    rate: try Rate(parsing: connectionRate), burst: try values.int("connection-burst"))
            } catch {
                throw UsageError.invalid("--connection-rate: \(error)")
            }
        }
        options.socketIO = try socketIOOptions(values)
        options.operations = try operationsOptions(values)
        try await serve(options, context)
    }

    /// The routes beside the chat endpoint.
    static func addRoutes(_ router: inout HTTPRouter) {
        router.get("/health") { _ in .response(.json(#"{"status":"ok"}"#)) }
        router.webSocket("/v1/echo") { _ in WebSocketEchoHandler() }
    }

    /// Binds, prints the address, serves until a signal, drains.
    static func serve(_ options: Options, _ context: CommandContext) async throws {
        let address: SocketAddress
        do {
            address = try SocketAddress(host: options.host, port: options.port)
        } catch {
            throw CommandFailure("\(error)", exitCode: .usageError)
        }
        var configuration = HTTPServerConfiguration()
        configuration.headerReadTimeout = options.headerReadTimeout
        configuration.webSocket.maxMessageSize = options.maxMessageBytes
        configuration.webSocket.maxFrameSize = options.maxMessageBytes
        configuration.webSocket.maxOutboundBytes = options.maxMessageBytes * 2 + 64 * 1024

        let loaded: RegistryLoader.Loaded
        do {
            loaded = try RegistryLoader(
                personalities: options.personalities, limitsOverride: options.limits,
                routingOverride: options.routing, matchmakingTimeout: options.matchmakingTimeout
            ).load()
        } catch {
            for diagnostic in error.diagnostics { context.stderr.writeLine(diagnostic.description) }
            throw CommandFailure(
                "the personalities in '\(options.personalities)' did not validate; not starting")
        }
        for warning in loaded.warnings { context.stderr.writeLine(warning.description) }

        raiseOpenFileLimit()
        // Log lines leave through a bounded background writer: a slow or unread stderr must
        // never stall an event loop.
        let logWriter = BackgroundLogWriter(
            StandardErrorLogWriter(), format: options.operations.logFormat, clock: SystemLogClock())
        let operations = try makeOperations(
            options, registry: Registry(loaded.snapshot), logWriter: logWriter, context: context)
        let signals = try ShutdownSignals { operations.reloadForSignal() }
        let group = try EventLoopGroup(loops: options.loops)
        let server = ChatServer(
            configuration: ChatServerConfiguration(
                http: configuration, drainDeadline: options.drainDeadline, closeGrace: options.drainTimeout,
                connectionRateLimit: options.connectionRateLimit, socketIO: options.socketIO),
            snapshot: loaded.snapshot, group: group,
            routes: { router in
                addRoutes(&router)
                operations.addPublicRoutes(&router)
            })
        operations.attach(server)
        let bound: SocketAddress
        do {
            bound = try server.start(at: address)
        } catch {
            group.shutdown()
            throw CommandFailure("cannot listen on \(address): \(error)")
        }
        let snapshot = loaded.snapshot
        context.stdout.writeLine("persona listening on http://\(bound)")
        let count = snapshot.personalities.count
        context.stdout.writeLine(
            "loaded \(count) \(count == 1 ? "personality" : "personalities") from \(options.personalities) "
                + "(registry version \(snapshot.version), matchmaking timeout \(snapshot.routing.matchmakingTimeout)); "
                + "chat on ws://\(bound)/v1/ws")
        try startOperations(operations, group: group, context: context)
        let signal = await signals.next()
        operations.beginDrain()
        context.stderr.writeLine(
            "persona: \(signal), draining sessions (replies have \(options.drainDeadline))")
        let clean = server.shutdown()
        operations.shutdown()
        logWriter.flush()
        let stats = server.statistics()
        context.stderr.writeLine(
            "persona: drained; \(stats.counters.connectionsOpened) chat connections, "
                + "\(stats.counters.sessionsStarted.values.reduce(0, +)) sessions, \(stats.counters.tokensOut) tokens served"
        )
        group.shutdown()
        if !clean { context.stderr.writeLine("persona: drain timed out, remaining connections were closed") }
    }
}
