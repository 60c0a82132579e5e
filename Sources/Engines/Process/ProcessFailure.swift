/// Why a request to a plugin pool got no (complete) answer. Rendered once, in the log and as
/// the reason of the reply's `failed` event.
public enum ProcessFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The worker process ended while answering.
    case crashed(PluginExit)
    /// The request overran its timeout (the worker, if it had started, was killed).
    case timedOut(Duration)
    /// The worker wrote something that is not a protocol line (it was killed).
    case garbage(String)
    /// The worker wrote a line longer than `max_line_bytes` (it was killed).
    case lineTooLong(limit: Int)
    /// The answer grew past `max_reply_bytes` (the worker was killed).
    case replyTooLarge(limit: Int)
    /// The plugin answered with an `error` line.
    case pluginError(String)
    /// `max_queue` requests were already waiting.
    case queueFull(limit: Int)
    /// Every worker is down, waiting to be restarted after a failure.
    case unavailable(String)
    /// The engine is shutting down.
    case shutDown

    /// A sentence for the log.
    public var description: String {
        switch self {
        case .crashed(let exit): return "the plugin \(exit) while answering"
        case .timedOut(let limit): return "the plugin did not finish within \(limit) (timeout)"
        case .garbage(let what): return "the plugin wrote a line that breaks the protocol: \(what)"
        case .lineTooLong(let limit):
            return "the plugin wrote a line longer than \(limit) bytes (max_line_bytes)"
        case .replyTooLarge(let limit):
            return "the plugin's answer grew past \(limit) bytes (max_reply_bytes)"
        case .pluginError(let message): return "the plugin reported an error: \(message)"
        case .queueFull(let limit): return "\(limit) requests already wait for a plugin worker (max_queue)"
        case .unavailable(let reason): return "no plugin worker is running (\(reason)); restarting"
        case .shutDown: return "the server is shutting down"
        }
    }
}
