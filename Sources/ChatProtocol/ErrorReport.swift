/// The body of an `error` frame.
public struct ErrorReport: Hashable, Sendable {
    /// What went wrong.
    public var code: ErrorCode
    /// A sentence for the client developer (never raw user text: it may hold PII).
    public var message: String
    /// When to try again, for `rate_limited` and `limit_reached` with a reset time.
    public var retryAfterMilliseconds: Int64?
    /// The client message id (`id`) the error refers to.
    public var ref: String?
    /// The session the error concerns.
    public var session: String?

    /// Creates a report.
    public init(
        code: ErrorCode, message: String, retryAfterMilliseconds: Int64? = nil, ref: String? = nil,
        session: String? = nil
    ) {
        self.code = code
        self.message = message
        self.retryAfterMilliseconds = retryAfterMilliseconds
        self.ref = ref
        self.session = session
    }
}
