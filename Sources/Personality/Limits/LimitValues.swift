import Policies

/// The values of a response-limit rule set. Every value is optional: `nil` means "no limit"
/// in a resolved set, and "inherit" in a set that extends another or in an override.
public struct LimitValues: Hashable, Sendable {
    /// Bot replies per session; at the limit the session ends (the classic "20 replies then goodbye").
    public var responsesPerSession: Int?
    /// Messages a session may send (rate), with ``sessionBurst`` extra at once.
    public var sessionRate: Rate?
    /// Burst allowance for ``sessionRate``.
    public var sessionBurst: Int?
    /// Messages one client (API key or IP) may send across its sessions (rate).
    public var clientRate: Rate?
    /// Burst allowance for ``clientRate``.
    public var clientBurst: Int?
    /// Messages one personality may receive across all sessions (rate).
    public var personalityRate: Rate?
    /// Burst allowance for ``personalityRate``.
    public var personalityBurst: Int?
    /// Longest accepted message, in characters (Unicode extended grapheme clusters).
    public var maxInputCharacters: Int?
    /// Longest reply, in tokens; longer replies are cut with finish reason `length`.
    public var maxReplyTokens: Int?
    /// A session with no message for this long ends with reason `idle`.
    public var idleTimeout: Duration?
    /// A session older than this ends with reason `session_timeout`.
    public var sessionTimeout: Duration?
    /// Messages one client may send per UTC day.
    public var dailyMessagesPerClient: Int?
    /// Upstream tokens (prompt + completion) one client may spend per UTC day on `llm` replies;
    /// enforced before a request is sent by reserving the request's maximum.
    public var dailyTokensPerClient: Int?
    /// What happens when a limit is reached.
    public var onLimit: LimitAction?
    /// How long a disconnected session stays resumable before it ends `disconnected`
    /// (`resume_window`; unset: the server's `--resume-window`, 10 minutes by default).
    public var resumeWindow: Duration?

    /// Creates values; everything unset by default.
    public init(
        responsesPerSession: Int? = nil, sessionRate: Rate? = nil, sessionBurst: Int? = nil,
        clientRate: Rate? = nil, clientBurst: Int? = nil, personalityRate: Rate? = nil,
        personalityBurst: Int? = nil, maxInputCharacters: Int? = nil, maxReplyTokens: Int? = nil,
        idleTimeout: Duration? = nil, sessionTimeout: Duration? = nil, dailyMessagesPerClient: Int? = nil,
        onLimit: LimitAction? = nil, resumeWindow: Duration? = nil, dailyTokensPerClient: Int? = nil
    ) {
        self.resumeWindow = resumeWindow
        self.responsesPerSession = responsesPerSession
        self.sessionRate = sessionRate
        self.sessionBurst = sessionBurst
        self.clientRate = clientRate
        self.clientBurst = clientBurst
        self.personalityRate = personalityRate
        self.personalityBurst = personalityBurst
        self.maxInputCharacters = maxInputCharacters
        self.maxReplyTokens = maxReplyTokens
        self.idleTimeout = idleTimeout
        self.sessionTimeout = sessionTimeout
        self.dailyMessagesPerClient = dailyMessagesPerClient
        self.dailyTokensPerClient = dailyTokensPerClient
        self.onLimit = onLimit
    }

    /// These values with every value set in `overrides` replacing ours.
    public func overridden(by overrides: LimitValues) -> LimitValues {
        LimitValues(
            responsesPerSession: overrides.responsesPerSession ?? responsesPerSession,
            sessionRate: overrides.sessionRate ?? sessionRate,
            sessionBurst: overrides.sessionBurst ?? sessionBurst,
            clientRate: overrides.clientRate ?? clientRate,
            clientBurst: overrides.clientBurst ?? clientBurst,
            personalityRate: overrides.personalityRate ?? personalityRate,
            personalityBurst: overrides.personalityBurst ?? personalityBurst,
            maxInputCharacters: overrides.maxInputCharacters ?? maxInputCharacters,
            maxReplyTokens: overrides.maxReplyTokens ?? maxReplyTokens,
            idleTimeout: overrides.idleTimeout ?? idleTimeout,
            sessionTimeout: overrides.sessionTimeout ?? sessionTimeout,
            dailyMessagesPerClient: overrides.dailyMessagesPerClient ?? dailyMessagesPerClient,
            onLimit: overrides.onLimit ?? onLimit, resumeWindow: overrides.resumeWindow ?? resumeWindow,
            dailyTokensPerClient: overrides.dailyTokensPerClient ?? dailyTokensPerClient)
    }
}
