import Reactor

/// Everything `persona bench echo` needs, independent of how it was parsed.
struct BenchEchoOptions: Sendable {
    /// Server address.
    var address: SocketAddress
    /// `Host` header value.
    var host: String
    /// Request path of the echo endpoint.
    var path: String
    /// Concurrent connections.
    var connections = 100
    /// Messages in flight per connection.
    var inFlight = 1
    /// Payload bytes per message.
    var size = 32
    /// Send text frames instead of binary.
    var text = false
    /// Speak Socket.IO (Engine.IO v4 over WebSocket) to a `--socketio-echo` style server.
    var socketIO = false
    /// How long to measure (ignored when `messages` is set).
    var duration: Duration = .seconds(10)
    /// Total messages to exchange instead of a duration.
    var messages: Int?
    /// Event loops the load generator uses.
    var loops = 1
    /// Loopback source addresses to spread connections over (127.0.0.10, .11, ...); 1 uses
    /// the default source.
    var sourceAddresses = 1
    /// Connects in flight at once per loop, so a large N does not overflow the listen backlog.
    var connectConcurrency = 256
    /// Server process whose VmRSS is reported.
    var serverPID: Int?
    /// Print the summary as JSON.
    var json = false
}
