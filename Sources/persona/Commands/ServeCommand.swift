import CLI
import Engines
import Foundation
import Diagnostics
import HTTPServer
import PersonaRuntime
import PersonaServer
import Observability
import Personality
import Policies
import Reactor
import Redis
import Store
import WebSocket

/// `persona serve`: loads the personalities, runs the chat server (`/v1/ws`) beside `/health`
/// and `/v1/echo` until SIGINT or SIGTERM, then drains.
///
/// The first line on stdout is `persona listening on http://HOST:PORT`, with the real port
/// when `--port 0` asked for an ephemeral one, so scripts and tests can read where to connect;
/// the second says what was loaded.
enum ServeCommand {
    /// Everything `serve` needs, independent of how it was parsed.
    struct Options: Sendable {
        /// `--human-rate`/`--human-burst`: limits of human-to-human sessions.
        var humanLimits = ChatHubConfiguration.defaultHumanLimits
        /// Address to bind.
        var host = "127.0.0.1"
        /// Port to bind; 0 picks a free one.
        var port = 8080
        /// Event loops (threads); default one per available core.
        var loops = EventLoopGroup.availableCores
        /// Largest WebSocket message (after reassembly) and frame.
        var maxMessageBytes = 16 << 20
        /// Server-wide budget for buffered large inbound WebSocket messages.
        var memoryBudget = 64 << 20
        /// Peers whose forwarded headers / PROXY headers name the client.
        var trustedProxies = TrustedProxies()
        /// Whether the public listener expects a PROXY protocol header on every connection.
        var proxyProtocol = false
        /// Origins allowed to open WebSockets; nil = the default for the bind address.
        var allowedOrigins: String?
        /// How long a graceful shutdown waits for connections to finish.
        var drainTimeout: Duration = .seconds(10)
        /// Silence before a server ping; `nil` disables heartbeats (`--ping-interval 0`).
        var pingInterval: Duration? = .seconds(30)
        /// How long a pinged connection may stay silent before it is dropped.
        var pongTimeout: Duration = .seconds(30)
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
        /// Browser origins allowed to call the HTTP API (CORS); empty: none.
        var corsOrigins: [String] = []
        /// Largest REST/OpenAI request body.
        var maxRequestBodyBytes = 256 << 10
        /// Silence after which an event stream gets a keep-alive comment.
        var sseKeepAlive: Duration = .seconds(15)
        /// Admin API, token, --watch and logs (ServeCommand+Operations.swift).
        var operations = OperationsOptions()
        /// `sqlite` (in `<data-dir>/persona.db`) or `memory`.
        var store = "sqlite"
        /// The SQLite store's settings.
        var storeConfiguration = StoreConfiguration()
        /// How long a disconnected session stays resumable.
        var resumeWindow: Duration = .seconds(600)
        /// `--auth` as given (nil: by address).
        var auth: String?
        /// `--i-know`.
        var iKnow = false
        /// `--keys`: the keys file (nil: `<data-dir>/keys.yaml`).
        var keysFile: String?
        /// `--redis` and `--node-id` (ServeCommand+Nodes.swift).
        var nodes = NodeOptions()
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
                "memory-budget", type: .int(0...(1 << 40)), default: String(64 << 20),
                environment: "PERSONA_MEMORY_BUDGET",
                help: "Bytes of large (64 KiB+) inbound WebSocket messages buffered server-wide (close 1009 beyond)."),
            .option(
                "ping-interval", type: .duration(.zero ... .seconds(3600)), default: "30",
                environment: "PERSONA_PING_INTERVAL",
                help: "Seconds of silence before the server pings a WebSocket (announced as heartbeat_ms); 0 disables."),
            .option(
                "pong-timeout", type: .duration(.milliseconds(10) ... .seconds(3600)), default: "30",
                environment: "PERSONA_PONG_TIMEOUT",
                help: "Seconds after a ping a silent WebSocket is given before it is dropped (heartbeat_timeout)."),
            .option(
                "drain-timeout", type: .duration(.zero ... .seconds(3600)), default: "10",
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
                "matchmaking-timeout", type: .duration(.zero ... .seconds(3600)), environment: "PERSONA_MATCHMAKING_TIMEOUT",
                help:
                    "Seconds a random chat waits for a human before a bot takes it (overrides routing.yaml)."),
            .option(
                "drain-deadline", type: .duration(.zero ... .seconds(3600)), default: "5",
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
                "trusted-proxies", type: .string, valueName: "cidr,...", environment: "PERSONA_TRUSTED_PROXIES",
                help: "Proxies whose Forwarded/X-Forwarded-For (and PROXY headers) name the client, e.g. 10.0.0.0/8,::1."),
            .flag(
                "proxy-protocol", environment: "PERSONA_PROXY_PROTOCOL",
                help: "Every connection starts with a PROXY protocol v1/v2 header (trusted peers' addresses are used)."),
            .option(
                "allowed-origins", type: .string, valueName: "origin,...", environment: "PERSONA_ALLOWED_ORIGINS",
                help: "Origins that may open WebSockets ('*' = any; default: any on loopback, else same host only)."),
            .option(
                "cors-origins", type: .string, default: "", environment: "PERSONA_CORS_ORIGINS",
                help: "Comma-separated browser origins allowed to call the REST and OpenAI API, or '*'."),
            .option(
                "max-request-body", type: .int(1...(1 << 20)), default: String(256 << 10),
                environment: "PERSONA_MAX_REQUEST_BODY",
                help: "Largest REST/OpenAI request body in bytes (413 beyond)."),
            .option(
                "sse-keep-alive", type: .duration(.milliseconds(10) ... .seconds(3600)), default: "15",
                help: "Seconds an event stream may stay silent before a ': keep-alive' comment."),
            .option(
                "header-read-timeout", type: .duration(.milliseconds(10) ... .seconds(3600)), default: "10",
                help: "Seconds a client has to send a complete request head before 408 (slowloris defence)."),
            .option(
                "store", type: .choice(["sqlite", "memory"]), default: "sqlite", environment: "PERSONA_STORE",
                help: "Where sessions and transcripts live: sqlite (<data-dir>/persona.db) or memory (lost on exit)."),
            .option(
                "durability", type: .choice(["normal", "full"]), default: "normal", environment: "PERSONA_DURABILITY",
                help: "normal: acknowledged messages survive a killed process; full: also power loss (fsync per commit)."),
            .option(
                "retention-days", type: .double(0.0001...36_500), default: "30", environment: "PERSONA_RETENTION_DAYS",
                help: "Transcripts older than this many days are deleted in the background."),
            .option(
                "resume-window", type: .duration(.zero ... .seconds(86_400)), default: "600", environment: "PERSONA_RESUME_WINDOW",
                help: "Seconds a disconnected session stays resumable before it ends 'disconnected'."),
            .option(
                "store-max-pages", type: .int(16...Int(Int32.max)), environment: "PERSONA_STORE_MAX_PAGES",
                help: "Cap on the database size in 4 KiB pages; beyond it writes fail as on a full disk."),
        ] + socketIOOptions + operationsOptions + authOptions + nodeOptions + humanLimitOptions,
        run: run)

    /// Parses values into ``Options`` and serves.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        var options = Options()
        options.host = try values.string("host")
        options.humanLimits = try humanLimits(values)
        options.port = try values.int("port")
        if let loops = try values.intIfPresent("loops") { options.loops = loops }
        options.maxMessageBytes = try values.int("max-message-bytes")
        options.memoryBudget = try values.int("memory-budget")
        if let list = values.stringIfPresent("trusted-proxies") {
            switch TrustedProxies.parse(list) {
            case .success(let proxies): options.trustedProxies = proxies
            case .failure(let error): throw UsageError.invalid("--trusted-proxies: \(error)")
            }
        }
        options.proxyProtocol = values.flag("proxy-protocol")
        options.allowedOrigins = values.stringIfPresent("allowed-origins")
        let pingInterval = try values.duration("ping-interval")
        options.pingInterval = pingInterval == .zero ? nil : pingInterval
        options.pongTimeout = try values.duration("pong-timeout")
        options.drainTimeout = .milliseconds(Int64(try values.double("drain-timeout") * 1000))
        options.headerReadTimeout = .milliseconds(Int64(try values.double("header-read-timeout") * 1000))
        options.personalities = try values.string("personalities")
        options.limits = values.stringIfPresent("limits")
        options.routing = values.stringIfPresent("routing")
        if let timeout = try values.durationIfPresent("matchmaking-timeout") {
            options.matchmakingTimeout = timeout
        }
        options.drainDeadline = try values.duration("drain-deadline")
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
        options.corsOrigins = try values.string("cors-origins").split(separator: ",").map {
            String($0.filter { $0 != " " })
        }.filter { !$0.isEmpty }
        options.maxRequestBodyBytes = try values.int("max-request-body")
        options.sseKeepAlive = try values.duration("sse-keep-alive")
        options.operations = try operationsOptions(values)
        options.store = try values.string("store")
        options.storeConfiguration.durability =
            StoreConfiguration.Durability(rawValue: try values.string("durability")) ?? .normal
        options.storeConfiguration.retention = .milliseconds(Int64(try values.double("retention-days") * 86_400_000))
        options.storeConfiguration.maxPageCount = try values.intIfPresent("store-max-pages")
        options.resumeWindow = try values.duration("resume-window")
        options.auth = values.stringIfPresent("auth")
        options.iKnow = values.flag("i-know")
        options.keysFile = values.stringIfPresent("keys")
        options.nodes = try nodeOptions(values)
        try await serve(options, context)
    }

    /// The routes beside the chat endpoint; echo connections count in `gauge`.
    static func addRoutes(_ router: inout HTTPRouter, gauge: WebSocketGauge) {
        router.get("/health") { _ in .response(.json(#"{"status":"ok"}"#)) }
        // 1 MiB of unread small echoes per connection; a large message's echo is covered by
        // the server's memory budget instead (see README → "Memory bounds").
        router.webSocket("/v1/echo", maxOutboundBytes: WebSocketEchoHandler.maxUnreadEchoBytes) { _ in gauge.counting(WebSocketEchoHandler()) }
    }

    /// The Origin policy for `--allowed-origins`: `*` allows any; a list allows those origins
    /// and same-host pages. Without the option, any origin on a loopback address (a developer's
    /// machine) and only same-host pages elsewhere (cross-site WebSocket hijacking defence).
    static func originPolicy(_ list: String?, host: String) -> WebSocketOriginPolicy {
        guard let list else {
            let loopback = host == "localhost" || host.hasPrefix("127.") || host == "::1"
            return loopback ? .anyOrigin : .sameHost(alsoAllowed: [])
        }
        let origins = list.split(separator: ",").map { String($0.filter { $0 != " " }) }
            .filter { !$0.isEmpty }
        return origins.contains("*") ? .anyOrigin : .sameHost(alsoAllowed: origins)
    }

    /// Binds, prints the address, serves until a signal, drains.
    static func serve(_ options: Options, _ context: CommandContext) async throws {
        var options = options
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
        configuration.webSocket.memoryBudget = options.memoryBudget
        configuration.webSocket.pingInterval = options.pingInterval
        configuration.webSocket.pongTimeout = options.pongTimeout
        configuration.trustedProxies = options.trustedProxies
        configuration.webSocket.originPolicy = originPolicy(options.allowedOrigins, host: options.host)

        let authMode = try authMode(requested: options.auth, iKnow: options.iKnow, host: options.host)
        let keysPath =
            options.keysFile
            ?? (options.operations.dataDirectory.hasSuffix("/")
                ? options.operations.dataDirectory : options.operations.dataDirectory + "/") + KeyFile.fileName
        let gate = try keyGate(mode: authMode, path: keysPath)

        let loaded: RegistryLoader.Loaded
        do {
            loaded = try RegistryLoader(
                personalities: options.personalities, limitsOverride: options.limits,
                routingOverride: options.routing, matchmakingTimeout: options.matchmakingTimeout,
                environment: ProcessInfo.processInfo.environment
            ).load()
        } catch {
            for diagnostic in error.diagnostics { context.stderr.writeLine(diagnostic.description) }
            throw CommandFailure(
                "the personalities in '\(options.personalities)' did not validate; not starting")
        }
        for warning in loaded.warnings { context.stderr.writeLine(warning.description) }

        // The store first: a corrupt or newer database stops the server before it listens.
        let sqlite: SQLiteStore?
        let store: any SessionStoreBackend
        var redisStore: (store: RedisSessionStore, epoch: Int)?
        if !options.nodes.redis.isEmpty {
            sqlite = nil
            redisStore = try openRedisStore(options.nodes, retention: options.storeConfiguration.retention)
            store = redisStore!.store
        } else if options.store == "memory" {
            sqlite = nil
            store = InMemoryTranscriptStore()
        } else {
            do {
                sqlite = try SQLiteStore(
                    directory: options.operations.dataDirectory, configuration: options.storeConfiguration)
            } catch {
                throw CommandFailure("cannot open the store: \(error)")
            }
            store = sqlite!
        }
        var hub = ChatHubConfiguration()
        hub.resumeWindow = options.resumeWindow
        hub.humanLimits = options.humanLimits
        // Clients are told the server's own ping interval; with server pings off they keep the default.
        if let pingInterval = options.pingInterval { hub.heartbeatInterval = pingInterval }
        hub.sessionEpoch = sqlite?.boot ?? redisStore?.epoch
        hub.resumableAfterShutdown = sqlite != nil || redisStore != nil
        options.operations.store = store
        options.operations.keys = gate.ring

        raiseOpenFileLimit()
        // Log lines leave through a bounded background writer: a slow or unread stderr must
        // never stall an event loop.
        let logWriter = BackgroundLogWriter(
            StandardErrorLogWriter(), format: options.operations.logFormat, clock: SystemLogClock())
        let operations = try makeOperations(
            options, registry: Registry(loaded.snapshot), logWriter: logWriter, context: context)
        let signals = try ShutdownSignals { operations.reloadForSignal() }
        let group = try EventLoopGroup(loops: options.loops)
        let transport = UpstreamLLMTransport(group: group)
        for problem in transport.prepare(loaded.snapshot.upstreams) { context.stderr.writeLine("warning: \(problem)") }
        let llm = LLMEngine(transport: transport)
        operations.addMetricsSource { LLMUsageMetrics.render(llm.usage, into: &$0) }
        if let sqlite { operations.addMetricsSource { StoreMetrics.render(sqlite.stats, into: &$0) } }
        if let redis = redisStore?.store {
            operations.addMetricsSource { RedisStoreMetrics.render(redis.stats, into: &$0) }
            operations.logger.info(
                "node", ["node": .string(options.nodes.nodeID), "redis": .string(redis.redis.redactedURL)])
        }
        let pluginLogger = operations.logger.labelled("persona.process")
        let process = ProcessEngine(host: ChildProcessPluginHost(group: group) { pluginLogger.warning($0) })
        let replyCache = redisStore.map { RedisReplyCache(store: $0.store) }
        if let replyCache { operations.addMetricsSource { RedisStoreMetrics.render(replyCache.stats, into: &$0) } }
        let rateLimiter = redisStore.map { RedisSharedRateLimiter(store: $0.store) }
        if let rateLimiter { operations.addMetricsSource { RedisStoreMetrics.render(rateLimiter.stats, into: &$0) } }
        var chatConfiguration = sharing(replyCache, rateLimiter, ChatServerConfiguration(
            http: configuration, hub: hub, drainDeadline: options.drainDeadline, closeGrace: options.drainTimeout,
            connectionRateLimit: options.connectionRateLimit, socketIO: options.socketIO, store: store,
            api: APIConfiguration(
                corsOrigins: options.corsOrigins, maxRequestBodyBytes: options.maxRequestBodyBytes,
                keepAliveInterval: options.sseKeepAlive),
            auth: gate))
        if let seeds = redisStore?.store.seeds {
            let node = try makeNodeLink(seeds: seeds, nodeID: options.nodes.nodeID, group: group)
            chatConfiguration.node = node
            operations.addMetricsSource { NodeMetrics.render(node, into: &$0) }
            node.propagateReloads(operations.coordinator)
        }
        let server = ChatServer(
            configuration: chatConfiguration,
            snapshot: loaded.snapshot, engines: EngineRegistry([ScriptEngine(), llm, process]), group: group,
            routes: { router in
                addRoutes(&router, gauge: operations.webSockets)
                operations.addPublicRoutes(&router)
            })
        operations.attach(server)
        let bound: SocketAddress
        do {
            bound = try server.start(at: address, proxyProtocol: options.proxyProtocol)
        } catch {
            group.shutdown()
            sqlite?.close()
            redisStore?.store.close()
            throw CommandFailure("cannot listen on \(address): \(error)")
        }
        // Every listener is up before the first line is printed: a taken admin port fails the
        // command, never after it said it was listening.
        let adminLine: String
        do {
            adminLine = try startOperations(operations, group: group, context: context)
        } catch {
            _ = server.shutdown()
            operations.shutdown()
            group.shutdown()
            throw error
        }
        let snapshot = loaded.snapshot
        context.stdout.writeLine("persona listening on http://\(bound)")
        let count = snapshot.personalities.count
        context.stdout.writeLine(
            "loaded \(count) \(count == 1 ? "personality" : "personalities") from \(options.personalities) "
                + "(registry version \(snapshot.version), matchmaking timeout \(snapshot.routing.matchmakingTimeout)); "
                + "chat on ws://\(bound)/v1/ws")
        context.stdout.writeLine(adminLine)
        let signal = await signals.next()
        operations.beginDrain()
        context.stderr.writeLine(
            "persona: \(signal), draining sessions (replies have \(options.drainDeadline))")
        let clean = server.shutdown()
        chatConfiguration.node?.stop()
        process.shutdown()
        operations.shutdown()
        sqlite?.close()
        redisStore?.store.close()
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
