import Personality

/// How the `llm` engine reaches upstreams and time: injected, so the engine's logic is tested
/// with a scripted transport and a manual clock, and the server plugs in the event-loop
/// HTTP client. Every call happens on the session's loop thread, and events come back on it.
public protocol LLMTransport: Sendable {
    /// Sends a streamed chat-completion request (`body` is the JSON) to `upstream`.
    func streamChat(
        body: [UInt8], to upstream: UpstreamDefinition, _ events: @escaping (LLMTransportEvent) -> Void
    ) -> any LLMCancellable

    /// Runs `body` after `delay` on the calling loop.
    func schedule(after delay: Duration, _ body: @escaping () -> Void) -> any LLMCancellable

    /// Monotonic time, for the circuit breaker.
    func now() -> Duration

    /// Milliseconds since the Unix epoch, for the daily token budget's UTC day.
    func wallMilliseconds() -> Int64

    /// Today's UTC date as `YYYY-MM-DD`, for the `{date}` placeholder.
    func utcDate() -> String
}

/// Something in flight that can be stopped at once.
public protocol LLMCancellable: AnyObject {
    /// Stops it; idempotent.
    func cancel()
}

/// What the transport reports about one request.
public enum LLMTransportEvent: Equatable, Sendable {
    /// The status line arrived; `retryAfter` is the `Retry-After` header, when given in seconds.
    case status(Int, retryAfter: Duration?)
    /// One event-stream `data:` payload.
    case data(String)
    /// The response ended.
    case end
    /// The request failed (connect, TLS, reset, malformed or oversized response).
    case failed(String)
}
