/// A reply that arrives token by token, driven by callbacks on the session's loop thread.
///
/// Contract: after ``start(_:)`` the stream calls the handler zero or more times with
/// ``TokenStreamEvent/token(_:)`` and then exactly once with a terminal event (`finished`,
/// `declined` — only before any token — or `failed`). After ``cancel()`` it calls the handler
/// no more. A stream may deliver events from inside ``start(_:)`` (the ``ReplyTokenStream`` of a
/// computed reply does), so callers must be ready for that before they call it.
public protocol TokenStream: AnyObject {
    /// Starts producing events.
    func start(_ handler: @escaping (TokenStreamEvent) -> Void)
    /// Stops producing events; idempotent.
    func cancel()
}

/// One event of a ``TokenStream``.
public enum TokenStreamEvent: Equatable, Sendable {
    /// The next piece of the reply.
    case token(String)
    /// The reply is complete.
    case finished
    /// The engine has nothing to say after all; only valid before any token.
    case declined
    /// The engine failed; the reply so far is incomplete.
    case failed(EngineError)
}
