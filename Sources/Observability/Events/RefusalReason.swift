/// Why the server refused or cut off a client: the bounded label set of
/// `persona_refusals_total{reason}` and the `reason` field of the refusal log line.
public enum RefusalReason: String, CaseIterable, Hashable, Sendable {
    /// A WebSocket upgrade answered 429: the peer opens connections too fast.
    case connectionRate = "connection_rate"
    /// A WebSocket upgrade answered 403: its `Origin` is not on the allow-list.
    case origin
    /// A WebSocket upgrade answered 400 or 426: a malformed or unsupported handshake.
    case handshake
    /// Any other HTTP error answer (404, 408, 413, 431, …; the status is its own counter).
    case httpError = "http_error"
    /// A chat message refused with `busy` (the session's queue is full).
    case busy
    /// A chat message refused with `rate_limited`.
    case rateLimited = "rate_limited"
    /// A chat connection's reply pacing paused because it stopped reading.
    case slowClientPaused = "slow_client_paused"
    /// A connection closed with 1008 because its output backlog passed the hard bound.
    case slowClientClosed = "slow_client_closed"
    /// A WebSocket peer that stopped answering heartbeats was dropped.
    case heartbeatTimeout = "heartbeat_timeout"
    /// A frame or message over the endpoint's size limit (1009).
    case messageTooLarge = "message_too_large"
    /// A large message the server-wide memory budget could not take (1009).
    case memoryBudget = "memory_budget"
    /// Any other WebSocket protocol violation (1002, 1007).
    case protocolError = "protocol_error"
}
