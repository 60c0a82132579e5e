import CLI
import Diagnostics
import Observability
import PersonaRuntime
import PersonaServer
import Personality
import Reactor

/// `persona serve`'s operations flags (issue 7): the admin listener, its token, `--watch`,
/// and structured logs.
extension ServeCommand {
    /// Operations settings parsed from the flags.
    struct OperationsOptions: Sendable {
        /// Admin listener host (loopback by default).
        var adminHost = "127.0.0.1"
        /// Admin listener port; 0 picks a free one.
        var adminPort = 8081
        /// Where `admin-token` lives.
        var dataDirectory = "persona-data"
        /// A token given explicitly.
        var adminToken: String?
        /// Reload when the personality tree changes.
        var watch = false
        /// Log line format.
        var logFormat = LogFormat.json
        /// Lowest level logged.
        var logLevel = LogLevel.info
        /// The store, once opened (for `/ready` and the admin API).
        var store: (any SessionStoreBackend)?
        /// The API keys (for the admin API's key routes).
        var keys: KeyRing?
    }

    /// The flags.
    static let operationsOptions: [Option] = [
        .option(
            "admin-host", type: .string, default: "127.0.0.1", environment: "PERSONA_ADMIN_HOST",
            help: "Address of the admin API listener (keep it on loopback)."),
        .option(
            "admin-port", type: .int(0...65535), environment: "PERSONA_ADMIN_PORT",
            help: "Port of the admin API listener (default: 8081; a free port when --port is 0)."),
        .option(
            "data-dir", type: .string, default: "persona-data", environment: "PERSONA_DATA_DIR",
            help: "Data directory (created 0700): the store <data-dir>/persona.db and the admin token <data-dir>/admin-token (0600)."),
        .option(
            "admin-token", type: .string, environment: "PERSONA_ADMIN_TOKEN",
            help: "The admin bearer token (default: read or generate <data-dir>/admin-token)."),
        .flag(
            "watch", environment: "PERSONA_WATCH", help: "Reload when a personality file changes (debounced)."
        ),
        .option(
            "log-format", type: .choice(of: LogFormat.self), default: "json",
            environment: "PERSONA_LOG_FORMAT",
            help: "Structured log lines on stderr: json or logfmt."),
        .option(
            "log-level", type: .choice(["trace", "debug", "info", "warning", "error"]), default: "info",
            environment: "PERSONA_LOG_LEVEL", help: "Lowest level logged."),
    ]

    /// Reads the operations flags.
    static func operationsOptions(_ values: ParsedValues) throws -> OperationsOptions {
        var options = OperationsOptions()
        options.adminHost = try values.string("admin-host")
        // An ephemeral public port (tests, several servers on one machine) gets an ephemeral
        // admin port too, so two such servers never collide on 8081.
        options.adminPort = try values.intIfPresent("admin-port") ?? (try values.int("port") == 0 ? 0 : 8081)
        options.dataDirectory = try values.string("data-dir")
        options.adminToken = values.stringIfPresent("admin-token")
        options.watch = values.flag("watch")
        options.logFormat = try values.choice("log-format", as: LogFormat.self)
        options.logLevel = LogLevel(name: try values.string("log-level")) ?? .info
        return options
    }

    /// Builds the operations object: logger (writing through `logWriter`), coordinator over
    /// `registry`, admin token.
    static func makeOperations(
        _ options: Options, registry: Registry, logWriter: any LogWriter, context: CommandContext
    ) throws -> ServerOperations {
        let ops = options.operations
        let logger = Logger(
            label: "persona.server", level: ops.logLevel,
            sink: StreamLogSink(format: ops.logFormat, writer: logWriter),
            clock: SystemLogClock())
        let address: SocketAddress
        do {
            address = try SocketAddress(host: ops.adminHost, port: ops.adminPort)
        } catch {
            throw CommandFailure("--admin-host: \(error)", exitCode: .usageError)
        }
        let loader = RegistryLoader(
            personalities: options.personalities, limitsOverride: options.limits,
            routingOverride: options.routing,
            matchmakingTimeout: options.matchmakingTimeout)
        do {
            return try ServerOperations(
                configuration: ServerOperations.Configuration(
                    adminAddress: address, dataDirectory: ops.dataDirectory, adminToken: ops.adminToken,
                    watchRoot: ops.watch ? options.personalities : nil, store: ops.store, keys: ops.keys),
                registry: registry,
                loading: {
                    do throws(RegistryLoadError) {
                        let loaded = try loader.load()
                        return (loaded.snapshot, loaded.warnings)
                    } catch {
                        return (nil, error.diagnostics)
                    }
                }, logger: logger)
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// Starts the admin listener (and the watcher); returns the line saying where it is, which
    /// `serve` prints after its listening line once every listener is up.
    static func startOperations(
        _ operations: ServerOperations, group: EventLoopGroup, context: CommandContext
    ) throws -> String {
        let bound: SocketAddress
        do {
            bound = try operations.start(group: group)
        } catch {
            throw CommandFailure(
                "cannot start the admin API on \(operations.configuration.adminAddress): \(error)")
        }
        let where_: String
        switch operations.tokenSource {
        case .given: where_ = "token given by flag or environment"
        case .file(let path): where_ = "token in \(path)"
        case .created(let path): where_ = "new token written to \(path)"
        }
        operations.logger.info(
            "admin api listening",
            [
                "address": .string(bound.description),
                "watch": .bool(operations.configuration.watchRoot != nil),
            ])
        return "admin API on http://\(bound) (\(where_))"
    }
}
