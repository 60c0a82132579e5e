import Personality

/// One `llm` reply in flight: a ``TokenStream`` that drives a streamed chat completion through
/// the transport, on the session's loop.
///
/// Order of events: reserve the daily token budget (refuse when it would pass the limit) →
/// pass the upstream's circuit breaker and concurrency cap → send → on 429 or 5xx *before the
/// first token*, retry up to `retries` times after `max(Retry-After, backoff)` (backoff 250 ms,
/// doubling) → stream content deltas as tokens → end on `[DONE]` or the end of the body.
///
/// Timeouts: `first_token` runs from each attempt's send to its first content token;
/// `between_tokens` from each token to the next; `total` over everything, retries included.
///
/// Failure before any token: the section's `fallback` answers, or the stream declines so the
/// next engine in `engine:` answers (the client sees `finish: "error"` only if none does).
/// Failure after tokens were sent: the stream fails (what was sent stands; `finish: "error"`).
/// ``cancel()`` closes the upstream connection at once.
final class LLMReply: TokenStream {
    /// First retry delay; doubles per attempt.
    static let baseBackoff: Duration = .milliseconds(250)
    /// Tokens reserved for the reply when neither `max_tokens` nor `max_reply_tokens` is set.
    static let defaultReplyReservation = 1_024
    /// How long a finished reply lets the body end before closing the connection anyway.
    static let drainGrace: Duration = .seconds(5)

    private let engine: LLMEngine
    private let transport: any LLMTransport
    private let upstream: UpstreamDefinition
    private let section: LLMSection
    private let personality: Personality
    private let state: LLMSessionState
    private let message: String
    private var handler: ((TokenStreamEvent) -> Void)?
    private var body: [UInt8] = []
    private var call: (any LLMCancellable)?
    private var firstTokenTimer: (any LLMCancellable)?
    private var betweenTimer: (any LLMCancellable)?
    private var totalTimer: (any LLMCancellable)?
    private var retryTimer: (any LLMCancellable)?
    private var attempt = 0
    private var status: Int?
    private var tokensSent = 0
    private var reply = ""
    private var admitted = false
    private var reserved = 0
    private var day: Int64 = 0
    private var promptTokens: Int?
    private var completionTokens: Int?
    private var done = false

    init(
        engine: LLMEngine, transport: any LLMTransport, upstream: UpstreamDefinition, section: LLMSection,
        personality: Personality, state: LLMSessionState, message: String
    ) {
        self.engine = engine
        self.transport = transport
        self.upstream = upstream
        self.section = section
        self.personality = personality
        self.state = state
        self.message = message
    }

    /// The reply's `max_tokens`: the section's, capped by the limits' `max_reply_tokens`.
    static func maxTokens(section: LLMSection, limits: LimitValues) -> Int? {
        switch (section.maxTokens, limits.maxReplyTokens) {
        case (let a?, let b?): min(a, b)
        case (let a?, nil): a
        case (nil, let b?): b
        case (nil, nil): nil
        }
    }

    func start(_ handler: @escaping (TokenStreamEvent) -> Void) {
        self.handler = handler
        let context = state.context
        let maxTokens = Self.maxTokens(section: section, limits: context.limits)
        let system = PromptTemplate.render(
            section.system,
            values: [
                "name": personality.name, "description": personality.description, "language": personality.language,
                "session_id": context.sessionID, "tenant": context.tenant ?? "",
                "date": transport.utcDate(), "char": personality.name, "user": PromptTemplate.userName,
            ])
        body = ChatCompletionRequest.body(
            model: upstream.model, section: section, system: system, history: state.history, message: message,
            maxTokens: maxTokens, char: personality.name)
        if let limit = context.limits.dailyTokensPerClient {
            reserved = ChatCompletionRequest.estimatedTokens(of: body) + (maxTokens ?? Self.defaultReplyReservation)
            day = transport.wallMilliseconds() / 86_400_000
            guard engine.reserve(reserved, client: context.client, limit: limit, day: day) else {
                reserved = 0
                return giveUp("the client's daily token budget (\(limit)) is spent")
            }
        }
        switch engine.admit(upstream, now: transport.now()) {
        case .busy: return giveUp("upstream '\(upstream.name)' has \(upstream.maxConcurrent) requests in flight")
        case .circuitOpen: return giveUp("upstream '\(upstream.name)' circuit breaker is open")
        case .admitted: admitted = true
        }
        totalTimer = transport.schedule(after: upstream.timeouts.total) { [weak self] in
            self?.fail("no complete reply within \(self?.upstream.timeouts.total ?? .zero)")
        }
        send()
    }

    /// A stream dropped without a cancel still gives back its slot and closes its call.
    deinit {
        if !done { finish(outcome: .abandoned, failed: false) }
    }

    func cancel() {
        guard !done else { return }
        finish(outcome: .abandoned, failed: false)
        state.remember(user: message, assistant: reply)
    }

    // MARK: Attempts

    private func send() {
        guard !done else { return }
        attempt += 1
        status = nil
        firstTokenTimer = transport.schedule(after: upstream.timeouts.firstToken) { [weak self] in
            self?.fail("no first token within \(self?.upstream.timeouts.firstToken ?? .zero)")
        }
        call = transport.streamChat(body: body, to: upstream) { [weak self] event in self?.received(event) }
    }

    private func received(_ event: LLMTransportEvent) {
        guard !done else { return }
        switch event {
        case .status(let code, let retryAfter):
            status = code
            if (200..<300).contains(code) { return }
            if code == 429 || code >= 500, tokensSent == 0, attempt <= upstream.retries {
                return retry(after: retryAfter)
            }
            fail("upstream answered \(code)")
        case .data(let payload):
            guard let status, (200..<300).contains(status) else { return }
            let chunk: ChatCompletionChunk
            do {
                chunk = try ChatCompletionChunk(data: payload)
            } catch {
                return fail("malformed event: \(error.reason)")
            }
            if let error = chunk.error { return fail("upstream error: \(error)") }
            if let prompt = chunk.promptTokens { promptTokens = prompt }
            if let completion = chunk.completionTokens { completionTokens = completion }
            if chunk.isDone { return complete(bodyEnded: false) }
            if !chunk.content.isEmpty { token(chunk.content) }
        case .end:
            guard let status, (200..<300).contains(status) else { return fail("the response ended early") }
            complete(bodyEnded: true)
        case .failed(let reason):
            fail(reason)
        }
    }

    private func retry(after retryAfter: Duration?) {
        call?.cancel()
        call = nil
        firstTokenTimer?.cancel()
        firstTokenTimer = nil
        let backoff = Self.baseBackoff * (1 << min(attempt - 1, 10))
        let delay = max(retryAfter ?? .zero, backoff)
        retryTimer = transport.schedule(after: delay) { [weak self] in
            self?.retryTimer = nil
            self?.send()
        }
    }

    private func token(_ text: String) {
        if tokensSent == 0 {
            firstTokenTimer?.cancel()
            firstTokenTimer = nil
        }
        tokensSent += 1
        reply += text
        betweenTimer?.cancel()
        betweenTimer = transport.schedule(after: upstream.timeouts.betweenTokens) { [weak self] in
            self?.fail("no token for \(self?.upstream.timeouts.betweenTokens ?? .zero)")
        }
        handler?(.token(text))
    }

    private func complete(bodyEnded: Bool) {
        guard tokensSent > 0 else { return fail("the upstream answered nothing") }
        if !bodyEnded, let call {
            // `[DONE]` came first: let the body end so the connection can be kept alive.
            self.call = nil
            _ = transport.schedule(after: Self.drainGrace) { call.cancel() }
        }
        finish(outcome: .success, failed: false)
        state.remember(user: message, assistant: reply)
        let handler = self.handler
        self.handler = nil
        handler?(.finished)
    }

    private func fail(_ reason: String) {
        guard !done else { return }
        finish(outcome: .failure, failed: true)
        answerWithoutUpstream(reason)
    }

    /// Refused before sending (budget, breaker, concurrency): nothing to release.
    private func giveUp(_ reason: String) {
        done = true
        engine.usage.record(
            personality: personality.id, client: state.context.client, tenant: state.context.tenant, prompt: 0,
            completion: 0, failed: true)
        answerWithoutUpstream(reason)
    }

    private func answerWithoutUpstream(_ reason: String) {
        let handler = self.handler
        self.handler = nil
        guard let handler else { return }
        if tokensSent > 0 { return handler(.failed(.failed(engine: "llm", reason: reason))) }
        guard !section.fallback.isEmpty else { return handler(.declined) }
        let text = section.fallback[state.pick(section.fallback.count)]
        for piece in Tokenizer.tokens(of: text) { handler(.token(piece)) }
        handler(.finished)
    }

    private func finish(outcome: LLMEngine.ReleaseOutcome, failed: Bool) {
        done = true
        call?.cancel()
        call = nil
        for timer in [firstTokenTimer, betweenTimer, totalTimer, retryTimer] { timer?.cancel() }
        firstTokenTimer = nil
        betweenTimer = nil
        totalTimer = nil
        retryTimer = nil
        if admitted {
            admitted = false
            engine.release(upstream, outcome: outcome, now: transport.now())
        }
        let prompt = promptTokens ?? (attempt > 0 ? ChatCompletionRequest.estimatedTokens(of: body) : 0)
        let completion = completionTokens ?? tokensSent
        if reserved > 0 {
            engine.settle(reserved: reserved, used: prompt + completion, client: state.context.client, day: day)
            reserved = 0
        }
        engine.usage.record(
            personality: personality.id, client: state.context.client, tenant: state.context.tenant, prompt: prompt,
            completion: completion, failed: failed)
        if outcome == .abandoned { handler = nil }
    }
}
