import Personality
import Synchronization

/// The `llm` engine: answers with any OpenAI-compatible upstream, streamed.
///
/// Shared by every loop (it is `Sendable`): what must be counted across loops — the circuit
/// breakers, requests in flight per upstream, the daily token budgets and the usage ledger —
/// sits behind locks taken a few times per request, never per token. Each reply is an
/// ``LLMReply`` that lives on its session's loop.
///
/// Without a transport (authoring tools: `persona test`, `validate`, `chat` offline) the engine
/// declines, so a personality's next engine answers.
public final class LLMEngine: Engine {
    /// `llm`.
    public var name: String { "llm" }
    /// The section decoder.
    public var sectionDecoder: any EngineSectionDecoder { LLMSectionDecoder() }

    let transport: (any LLMTransport)?
    /// Token usage per personality, client and tenant.
    public let usage: LLMUsage
    let shared = Mutex(Shared())

    struct Shared {
        var breakers: [String: CircuitBreaker] = [:]
        var inFlight: [String: Int] = [:]
        var budget = DailyTokenBudget()
    }

    /// Creates the engine; `transport` is `nil` for tools that never call upstreams.
    public init(transport: (any LLMTransport)? = nil, usage: LLMUsage = LLMUsage()) {
        self.transport = transport
        self.usage = usage
    }

    /// Remembers the session's context.
    public func makeState(for personality: Personality, session: EngineSessionContext) -> any EngineSessionState {
        LLMSessionState(context: session)
    }

    /// Streams the upstream's answer (or declines when there is no transport or no section).
    public func respond(to request: EngineRequest, state: any EngineSessionState) -> EngineResponse {
        guard let transport, let state = state as? LLMSessionState,
            let section = request.personality.section(for: name, as: LLMSection.self),
            let upstream = state.context.upstreams[section.upstreamName]
        else { return .declined }
        return .stream(
            LLMReply(
                engine: self, transport: transport, upstream: upstream, section: section,
                personality: request.personality, state: state, message: request.message))
    }

    /// One of the personality's greetings, picked with the session's generator, with
    /// `{{char}}` and `{{user}}` replaced (imported character cards greet that way).
    public func greeting(for personality: Personality, state: any EngineSessionState) -> String? {
        guard !personality.greetings.isEmpty else { return nil }
        let index = (state as? LLMSessionState)?.pick(personality.greetings.count) ?? 0
        return PromptTemplate.substituteNames(in: personality.greetings[index], char: personality.name)
    }

    // MARK: Shared bookkeeping

    /// Whether a request to `upstream` may start now: breaker closed (or probing) and fewer than
    /// `max_concurrent` in flight. On `true` the caller holds one in-flight slot.
    func admit(_ upstream: UpstreamDefinition, now: Duration) -> AdmitDecision {
        shared.withLock { shared in
            var breaker =
                shared.breakers[upstream.name]
                ?? CircuitBreaker(threshold: upstream.breakerFailures, cooldown: upstream.breakerCooldown)
            defer { shared.breakers[upstream.name] = breaker }
            let inFlight = shared.inFlight[upstream.name, default: 0]
            guard inFlight < upstream.maxConcurrent else { return .busy }
            guard breaker.allows(now: now) else { return .circuitOpen }
            shared.inFlight[upstream.name] = inFlight + 1
            return .admitted
        }
    }

    enum AdmitDecision { case admitted, busy, circuitOpen }

    /// Gives back the slot taken by ``admit(_:now:)`` and tells the breaker how it went.
    func release(_ upstream: UpstreamDefinition, outcome: ReleaseOutcome, now: Duration) {
        shared.withLock { shared in
            shared.inFlight[upstream.name, default: 1] -= 1
            var breaker =
                shared.breakers[upstream.name]
                ?? CircuitBreaker(threshold: upstream.breakerFailures, cooldown: upstream.breakerCooldown)
            switch outcome {
            case .success: breaker.recordSuccess()
            case .failure: breaker.recordFailure(now: now)
            case .abandoned: breaker.recordAbandoned()
            }
            shared.breakers[upstream.name] = breaker
        }
    }

    enum ReleaseOutcome { case success, failure, abandoned }

    func reserve(_ tokens: Int, client: String, limit: Int, day: Int64) -> Bool {
        shared.withLock { $0.budget.reserve(tokens, client: client, limit: limit, day: day) }
    }

    func settle(reserved: Int, used: Int, client: String, day: Int64) {
        shared.withLock { $0.budget.settle(reserved: reserved, used: used, client: client, day: day) }
    }

    /// The breaker of `upstream` (tests, stats).
    public func breakerState(of upstream: String) -> CircuitBreaker.State? {
        shared.withLock { $0.breakers[upstream]?.state }
    }

    /// Requests in flight to `upstream`.
    public func inFlight(to upstream: String) -> Int {
        shared.withLock { $0.inFlight[upstream, default: 0] }
    }
}
