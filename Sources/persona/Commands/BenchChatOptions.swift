import Reactor

/// What `persona bench chat` was asked to do.
struct BenchChatOptions: Sendable {
    /// How sessions start.
    enum Mode: String, CaseIterable, Sendable {
        /// Every session names `personality`.
        case direct
        /// Every session asks for a random partner (bench sessions may be matched to each other
        /// as humans; the rest fall back to a bot after the server's matchmaking timeout).
        case random
        /// Alternating direct and random.
        case mix
    }

    var address: SocketAddress
    var host: String
    var path: String
    /// Concurrent sessions, one connection each.
    var sessions = 100
    var mode = Mode.direct
    /// The personality direct sessions start with.
    var personality = "general-assistant"
    /// Messages per second each session sends (0: the next one as soon as the reply ends).
    var rate = 1.0
    /// What each message says.
    var text = "hello"
    /// How long to measure, once every session started.
    var duration: Duration = .seconds(10)
    /// Total messages to send (instead of the duration).
    var messages: Int?
    /// Load-generator event loops.
    var loops = 1
    /// Loopback source addresses to spread connections over.
    var sourceAddresses = 1
    /// Connects (and session starts) in flight per loop.
    var connectConcurrency = 256
    /// Server process whose memory and CPU are reported.
    var serverPID: Int?
    var json = false
}
