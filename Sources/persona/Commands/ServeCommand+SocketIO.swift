import CLI
import PersonaServer
import SocketIO

extension ServeCommand {
    /// The Socket.IO options of `serve`.
    static let socketIOOptions: [Option] = [
        .flag("no-socketio", help: "Do not serve /socket.io/ (Socket.IO chat is on by default)."),
        .flag(
            "socketio-echo",
            help:
                "Serve /socket.io/ as the diagnostic echo server of the Socket.IO protocol test suite (namespaces / and /custom)."
        ),
        .option(
            "socketio-ping-interval", type: .duration(.milliseconds(10) ... .seconds(3600)), default: "25s",
            help: "Time between Engine.IO pings (pingInterval)."),
        .option(
            "socketio-ping-timeout", type: .duration(.milliseconds(10) ... .seconds(3600)), default: "20s",
            help: "Time a client has to answer a ping before its session closes (pingTimeout)."),
        .option(
            "socketio-connect-timeout", type: .duration(.milliseconds(10) ... .seconds(3600)), default: "45s",
            help: "Time a new connection has to send its first Socket.IO CONNECT before it is closed."),
        .option(
            "socketio-max-payload", type: .int(16...(64 << 20)), default: "1000000",
            help: "Largest polling payload or WebSocket message, in bytes (maxPayload; 413 or close beyond)."),
        .option(
            "socketio-sessions-per-ip", type: .int(1...1_000_000), default: "64",
            help: "Engine.IO sessions one client IP may hold at once (429 beyond)."),
        .option(
            "socketio-cors-origins", type: .string, default: "*",
            help: "Origins allowed to use /socket.io/ from a browser: '*' or a comma-separated list (403 for others)."),
        .option(
            "socketio-deployment", type: .string, repeatable: true,
            help: "A widget deployment key for /compat/widget: KEY=PERSONALITY or KEY=PERSONALITY@TENANT (repeatable)."),
        .flag("socketio-cors-credentials", help: "Send Access-Control-Allow-Credentials: true on /socket.io/."),
    ]

    /// Reads the Socket.IO options; nil when Socket.IO is not served.
    static func socketIOOptions(_ values: ParsedValues) throws -> SocketIOServerConfiguration? {
        if values.flag("no-socketio") {
            guard !values.flag("socketio-echo") else {
                throw UsageError.invalid("--socketio-echo and --no-socketio contradict each other")
            }
            return nil
        }
        var configuration = SocketIOServerConfiguration(mode: values.flag("socketio-echo") ? .echo : .chat)
        configuration.engine.pingInterval = try values.duration("socketio-ping-interval")
        configuration.engine.pingTimeout = try values.duration("socketio-ping-timeout")
        configuration.engine.maxPayload = try values.int("socketio-max-payload")
        configuration.socket.connectTimeout = try values.duration("socketio-connect-timeout")
        configuration.maxSessionsPerAddress = try values.int("socketio-sessions-per-ip")
        for entry in values.strings("socketio-deployment") {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw UsageError.invalid("--socketio-deployment: expected KEY=PERSONALITY[@TENANT], got '\(entry)'")
            }
            let target = parts[1].split(separator: "@", maxSplits: 1).map(String.init)
            configuration.deployments[parts[0]] = SocketIODeployment(
                personality: target[0], tenant: target.count > 1 ? target[1] : nil)
        }
        let origins = try values.string("socketio-cors-origins")
        configuration.cors = SocketIOCORSPolicy(
            allowedOrigins: origins == "*"
                ? nil : origins.split(separator: ",").map { String($0.filter { $0 != " " }) },
            allowCredentials: values.flag("socketio-cors-credentials"))
        return configuration
    }
}
