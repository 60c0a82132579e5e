/// A finished reply presented as a ``TokenStream``: tokens are delivered synchronously from
/// ``start(_:)``. Lets code that only speaks streams (the runtime's cadence, tests) treat the
/// synchronous fast path uniformly.
public final class ReplyTokenStream: TokenStream {
    private let tokens: [String]
    private var cancelled = false

    /// Wraps `reply`, cut by ``Tokenizer``.
    public init(_ reply: String) {
        self.tokens = Tokenizer.tokens(of: reply)
    }

    /// Delivers every token, then `finished`, unless cancelled on the way.
    public func start(_ handler: @escaping (TokenStreamEvent) -> Void) {
        for token in tokens {
            if cancelled { return }
            handler(.token(token))
        }
        if !cancelled { handler(.finished) }
    }

    /// Stops delivery.
    public func cancel() { cancelled = true }
}
