import CLI
import HTTPServer
import Reactor

/// `persona serve`: runs the HTTP/WebSocket server until SIGINT or SIGTERM, then drains.
///
/// The first line on stdout is `persona listening on http://HOST:PORT`, with the real port
/// when `--port 0` asked for an ephemeral one, so scripts and tests can read where to connect.
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
    }

    /// The command's declaration.
    static let command = Command(
        name: "serve",
        abstract: "Run the HTTP and WebSocket server.",
        discussion: """
            Prints `persona listening on http://HOST:PORT` as its first line, then serves until \
            SIGINT or SIGTERM, when it stops accepting, lets requests in flight finish and \
            closes WebSocket connections with 1001 before exiting.
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
                "header-read-timeout", type: .double(0.01...3600), default: "10",
                help: "Seconds a client has to send a complete request head before 408 (slowloris defence)."),
        ],
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
        try await serve(options, context)
    }

    /// The routes of the server. Later issues add the chat endpoints here.
    static func router() -> HTTPRouter {
        var router = HTTPRouter()
        router.get("/health") { _ in .response(.json(#"{"status":"ok"}"#)) }
        router.webSocket("/v1/echo") { _ in WebSocketEchoHandler() }
        return router
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

        let signals = try ShutdownSignals()
        let group = try EventLoopGroup(loops: options.loops)
        let server = HTTPServer(configuration: configuration, router: router(), group: group)
        let bound: SocketAddress
        do {
            bound = try server.start(at: address)
        } catch {
            group.shutdown()
            throw CommandFailure("cannot listen on \(address): \(error)")
        }
        context.stdout.writeLine("persona listening on http://\(bound)")
        let signal = await signals.next()
        context.stderr.writeLine("persona: \(signal), draining connections")
        let clean = server.shutdown(gracePeriod: options.drainTimeout)
        group.shutdown()
        if !clean { context.stderr.writeLine("persona: drain timed out, remaining connections were closed") }
    }
}
