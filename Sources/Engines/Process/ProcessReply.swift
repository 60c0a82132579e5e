import Personality

/// One answer from a plugin pool, as a ``TokenStream`` on the session's loop.
///
/// Outcomes: tokens then `finished` on the plugin's `end`; `declined` on its `decline`. On any
/// failure before the first token, the section's `fallback` line answers, or — without one —
/// the stream declines so the next engine in `engine:` answers. After a token, a failure ends
/// the reply with `failed` (the tokens sent stand; the client sees `finish: "error"`).
final class ProcessReply: TokenStream {
    private let pool: ProcessPool
    private let executor: @Sendable (@escaping @Sendable () -> Void) -> Void
    private let section: ProcessSection
    private let personality: Personality
    private let state: ProcessSessionState
    private let message: String
    private let log: @Sendable (String) -> Void
    private var handler: ((TokenStreamEvent) -> Void)?
    private var requestID: UInt64?
    private var text = ""
    private var tokensSent = 0
    private var done = false

    init(
        pool: ProcessPool, executor: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void,
        section: ProcessSection, personality: Personality, state: ProcessSessionState, message: String,
        log: @escaping @Sendable (String) -> Void
    ) {
        self.log = log
        self.pool = pool
        self.executor = executor
        self.section = section
        self.personality = personality
        self.state = state
        self.message = message
    }

    func start(_ handler: @escaping (TokenStreamEvent) -> Void) {
        self.handler = handler
        let request = PluginMessage.Request(
            id: 0, session: state.context.sessionID, personality: personality.id, text: message,
            variables: state.variables, history: Array(state.history.suffix(section.historyTurns)))
        let executor = executor
        let confined = LoopConfined(self)
        let result = pool.submit(request) { event in
            executor { confined.value.receive(event) }
        }
        switch result {
        case .success(let id): requestID = id
        case .failure(let failure): fail(failure)
        }
    }

    func cancel() {
        guard !done else { return }
        done = true
        handler = nil
        if let requestID { pool.cancel(requestID) }
    }

    private func receive(_ event: ProcessPool.Event) {
        guard !done, let handler else { return }
        switch event {
        case .token(let token):
            guard !token.isEmpty else { return }
            tokensSent += 1
            text += token
            handler(.token(token))
        case .end(let variables):
            done = true
            if let variables { state.variables = variables }
            state.remember(user: message, reply: text)
            handler(.finished)
        case .declined:
            done = true
            handler(.declined)
        case .failed(let failure):
            fail(failure)
        }
    }

    private func fail(_ failure: ProcessFailure) {
        guard !done, let handler else { return }
        done = true
        log("process engine, personality '\(personality.id)', session \(state.context.sessionID): \(failure)")
        if tokensSent > 0 { return handler(.failed(.failed(engine: "process", reason: failure.description))) }
        guard !section.fallback.isEmpty else { return handler(.declined) }
        let line = section.fallback[state.pick(section.fallback.count)]
        for token in Tokenizer.tokens(of: line) { handler(.token(token)) }
        handler(.finished)
    }
}

/// Carries a loop-confined object through a `@Sendable` closure that runs on its loop again.
struct LoopConfined<Value: AnyObject>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
