/// A timer the hub asked the shell to run. The shell calls ``ChatHub/timerFired(_:)`` with the
/// token at (or after) the requested instant. Tokens are never reused, and the hub ignores a
/// token it no longer knows, so a shell may treat ``HubAction/cancelTimer(_:)`` lazily.
public struct TimerToken: Hashable, Sendable, CustomStringConvertible {
    /// The number.
    public var value: UInt64

    /// Creates a token.
    public init(_ value: UInt64) {
        self.value = value
    }

    /// `t<value>`.
    public var description: String { "t\(value)" }
}
