import Personality

/// An engine plugin: given a personality, the session's engine state and the user's (already
/// scrubbed) message, it produces the bot's reply as a stream of tokens.
///
/// ## How the runtime drives an engine
///
/// Everything happens on the session's event-loop thread; no `async`/`await` is involved.
///
/// 1. When a session starts, the runtime calls ``makeState(for:session:)`` once per engine in the
///    personality's `engines` list and keeps the returned objects with the session. The runtime
///    never looks inside them; only the engine that made a state reads or mutates it.
/// 2. For each message it calls ``respond(to:state:)``. The answer is one of:
///    - ``EngineResponse/reply(_:)`` — the synchronous fast path: the whole reply is known now
///      (the `script` engine always answers this way). The runtime cuts it into tokens with
///      ``Tokenizer`` and paces them.
///    - ``EngineResponse/stream(_:)`` — a ``TokenStream`` the runtime starts with a callback;
///      the engine delivers tokens later, on the loop thread (work done elsewhere comes back
///      through the loop's `execute`). The runtime may cancel it at any time.
///    - ``EngineResponse/declined`` — the engine has nothing to say (no rule matched and no
///      fallback). The runtime tries the next engine in the list (see ``EngineChain``).
/// 3. At the start and the end of a session it may ask for ``greeting(for:state:)`` and
///    ``farewell(for:state:)``.
public protocol Engine: Sendable {
    /// The engine's name, as authors write it in `engine:`.
    var name: String { get }

    /// The decoder for the engine's section of a personality file.
    var sectionDecoder: any EngineSectionDecoder { get }

    /// Creates the per-session state for `personality`; called once when a session starts.
    func makeState(for personality: Personality, session: EngineSessionContext) -> any EngineSessionState

    /// Answers one message. Must not block: slow engines return a stream.
    func respond(to request: EngineRequest, state: any EngineSessionState) -> EngineResponse

    /// What the bot says when the session starts, or `nil` for nothing.
    func greeting(for personality: Personality, state: any EngineSessionState) -> String?

    /// What the bot says when the session ends, or `nil` for nothing.
    func farewell(for personality: Personality, state: any EngineSessionState) -> String?
}

extension Engine {
    /// By default the first of the personality's `greeting:` list (engines with session
    /// randomness, like `script`, pick one with the session's generator instead).
    public func greeting(for personality: Personality, state: any EngineSessionState) -> String? {
        personality.greetings.first
    }

    /// By default the first of the personality's `farewell:` list.
    public func farewell(for personality: Personality, state: any EngineSessionState) -> String? {
        personality.farewells.first
    }
}
