import SocketIO

/// How `/socket.io/` runs: the Engine.IO and Socket.IO settings, the per-address session
/// limit, CORS, and what sits behind the namespaces.
public struct SocketIOServerConfiguration: Sendable {
    /// What the namespaces do.
    public enum Mode: String, Sendable, Hashable {
        /// Chat: namespace `/` carries the native protocol as events, and the compatibility
        /// profiles have their own namespaces (see the README, "Socket.IO").
        case chat
        /// The diagnostic echo server of the Socket.IO protocol test suite (`--socketio-echo`):
        /// on connect it emits `auth` with the CONNECT payload; `message` is answered with
        /// `message-back` and the same arguments; `message-with-ack` is acknowledged with its
        /// arguments; namespaces `/` and `/custom`, any other refused with `Invalid namespace`.
        /// Served with ``engineEcho`` beside it at `/engine.io/`.
        case echo
        /// Engine.IO alone, the reference server of the Engine.IO protocol test suite: every
        /// message packet (text or binary) is sent back as it came, with no Socket.IO layer.
        /// `--socketio-echo` serves it at `/engine.io/`, with the same Engine.IO settings.
        case engineEcho
    }

    /// What the namespaces do. Default ``Mode/chat``.
    public var mode: Mode
    /// Heartbeat, payload and queue limits of Engine.IO.
    public var engine: EngineIOConfiguration
    /// Connect timeout, namespace count and decoder limits of Socket.IO.
    public var socket: SocketIOConnection.Configuration
    /// Engine.IO sessions one peer IP may hold at once; the next handshake is answered 429.
    /// Default 64.
    public var maxSessionsPerAddress: Int
    /// The widget profile's deployment keys (`deploymentKey` in CONNECT `auth`) and what each
    /// stands for. Default: none (every key is refused).
    public var deployments: [String: SocketIODeployment] = [:]
    /// Cross-origin policy for the polling transport (and the `Origin` check of the WebSocket).
    public var cors: SocketIOCORSPolicy

    /// Creates a configuration; every parameter defaults to the documented value.
    public init(
        mode: Mode = .chat, engine: EngineIOConfiguration = EngineIOConfiguration(),
        socket: SocketIOConnection.Configuration = SocketIOConnection.Configuration(),
        maxSessionsPerAddress: Int = 64, cors: SocketIOCORSPolicy = SocketIOCORSPolicy()
    ) {
        self.mode = mode
        self.engine = engine
        self.socket = socket
        self.maxSessionsPerAddress = maxSessionsPerAddress
        self.cors = cors
    }
}
