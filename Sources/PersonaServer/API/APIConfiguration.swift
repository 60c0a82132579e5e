/// Settings of the HTTP doors onto the chat hub: REST (`/v1/personalities`, `/v1/sessions`)
/// and the OpenAI-compatible API (`/v1/models`, `/v1/chat/completions`). Every limit has a
/// name and a documented default.
public struct APIConfiguration: Sendable {
    /// Serve the REST and OpenAI routes at all (`api`). Default on.
    public var enabled: Bool
    /// Browser origins allowed to call the API (`cors_origins`): exact origins such as
    /// `https://app.example`, or `*` for any. Empty (the default) sends no CORS headers, so
    /// browsers keep their same-origin rule.
    public var corsOrigins: [String]
    /// Largest request body accepted, in bytes (`max_request_body_bytes`); one byte more is
    /// answered 413. Default 256 KiB (kept below the HTTP core's own body limit, 1 MiB, so the
    /// API's limit is the one clients meet, in the API's error shape).
    public var maxRequestBodyBytes: Int
    /// How long a Server-Sent Events stream may stay silent before a `: keep-alive` comment is
    /// sent, so proxies do not time out while an engine is slow (`sse_keep_alive`). Default 15 s.
    public var keepAliveInterval: Duration
    /// REST sessions one event loop holds at once (`max_rest_sessions`); one more is answered
    /// 429 `too_many_sessions`. Default 100,000.
    public var maxRESTSessions: Int
    /// Ended REST sessions whose end and farewell `GET`/`DELETE` still name from memory, per
    /// event loop (`max_ended_rest_sessions`); older ones are answered from the store (without
    /// the farewell). History is always read from the store. Default 10,000.
    public var maxEndedRESTSessions: Int
    /// Most turns one history page returns (`max_history_page`); a larger `limit` is refused
    /// with 400. Default 1,000.
    public var maxHistoryPage: Int
    /// Turns a history page returns when the request names no `limit` (`history_page`). Default 100.
    public var defaultHistoryPage: Int
    /// Most stop sequences a chat completion may name (`max_stop_sequences`), as OpenAI. Default 4.
    public var maxStopSequences: Int

    /// Creates a configuration with the documented defaults.
    public init(
        enabled: Bool = true, corsOrigins: [String] = [], maxRequestBodyBytes: Int = 256 << 10,
        keepAliveInterval: Duration = .seconds(15), maxRESTSessions: Int = 100_000,
        maxEndedRESTSessions: Int = 10_000, maxHistoryPage: Int = 1_000, defaultHistoryPage: Int = 100,
        maxStopSequences: Int = 4
    ) {
        self.enabled = enabled
        self.corsOrigins = corsOrigins
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.keepAliveInterval = keepAliveInterval
        self.maxRESTSessions = maxRESTSessions
        self.maxEndedRESTSessions = maxEndedRESTSessions
        self.maxHistoryPage = maxHistoryPage
        self.defaultHistoryPage = min(defaultHistoryPage, maxHistoryPage)
        self.maxStopSequences = maxStopSequences
    }
}
