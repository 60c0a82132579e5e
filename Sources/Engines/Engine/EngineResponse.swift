/// How an engine answers a message.
public enum EngineResponse {
    /// The whole reply, computed at once (the synchronous fast path).
    case reply(String)
    /// Tokens that arrive later; the runtime starts the stream and may cancel it.
    case stream(any TokenStream)
    /// No answer from this engine; the next engine in the personality's list is tried.
    case declined
}
