/// An engine's per-session state: owned by the session, opaque to the runtime.
///
/// A class, because engines mutate it while answering, and a stream may still hold it after
/// ``Engine/respond(to:state:)`` returns. It lives on the session's loop thread and is never
/// shared between threads, so it need not be `Sendable`.
public protocol EngineSessionState: AnyObject {}

/// The state of an engine that keeps nothing per session.
public final class StatelessEngineState: EngineSessionState {
    /// Creates an empty state.
    public init() {}
}
