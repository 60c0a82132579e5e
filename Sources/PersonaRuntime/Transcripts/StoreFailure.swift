/// Why a store could not do what the hub asked. The hub turns every failure into the
/// client-facing `store_unavailable`; the message is for logs.
public struct StoreFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, naming the file or the SQLite error.
    public var message: String
    /// When the store knows when it may work again (Redis between reconnect attempts), the
    /// milliseconds to wait: sent to the client as `retry_after_ms`. Nil otherwise.
    public var retryAfterMilliseconds: Int64?

    /// Creates a failure.
    public init(_ message: String, retryAfterMilliseconds: Int64? = nil) {
        self.message = message
        self.retryAfterMilliseconds = retryAfterMilliseconds
    }

    /// The message.
    public var description: String { message }
}
