import TLS

/// Why a Redis command or connection failed. Rendered once, at the edge that reports it.
public enum RedisError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The URL could not be understood.
    case invalidURL(String)
    /// No connection right now: the client is waiting `retryAfter` before its next attempt.
    /// The command was not sent.
    case unavailable(retryAfter: Duration, reason: String)
    /// The connection dropped after the command was sent: it may or may not have run.
    case connectionLost(String)
    /// No reply within the command timeout; the connection was closed (a late reply would put
    /// every later reply out of step) and the command may or may not have run.
    case timeout(Duration)
    /// The server answered with an error reply (`-ERR …`, `-WRONGTYPE …`, `-MOVED …`).
    case server(String)
    /// The server refused `HELLO`/`AUTH` (wrong user or password, or no password set).
    case authentication(String)
    /// The server's bytes were not valid RESP.
    case protocolViolation(RESPError)
    /// The TLS layer failed (certificate or handshake).
    case tls(TLSError)
    /// More than ``RedisConfiguration/maxPendingCommands`` commands were waiting.
    case tooManyPending(limit: Int)
    /// The client was closed by its owner.
    case closed
    /// A cluster command was redirected (`MOVED`/`ASK`) more than
    /// ``RedisConfiguration/maxRedirects`` times; `last` is the last redirect's text. The
    /// topology is refreshed meanwhile, so a later try usually goes straight to the right node.
    case tooManyRedirects(limit: Int, last: String)

    /// A sentence for logs.
    public var description: String {
        switch self {
        case .invalidURL(let reason): "invalid Redis URL: \(reason)"
        case .unavailable(let retryAfter, let reason): "Redis unavailable (\(reason)); next attempt in \(retryAfter)"
        case .connectionLost(let reason): "Redis connection lost: \(reason)"
        case .timeout(let limit): "Redis did not answer within \(limit)"
        case .server(let message): "Redis error: \(message)"
        case .authentication(let message): "Redis refused the credentials: \(message)"
        case .protocolViolation(let error): error.description
        case .tls(let error): "Redis \(error)"
        case .tooManyPending(let limit): "more than \(limit) Redis commands waiting"
        case .closed: "the Redis client is closed"
        case .tooManyRedirects(let limit, let last): "more than \(limit) Redis Cluster redirects (last: \(last))"
        }
    }

    /// The milliseconds a caller should wait before retrying, for errors that say so.
    public var retryAfterMilliseconds: Int64? {
        guard case .unavailable(let retryAfter, _) = self else { return nil }
        let (seconds, attoseconds) = retryAfter.components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
