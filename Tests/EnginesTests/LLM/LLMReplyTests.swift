import Diagnostics
import Engines
import Personality
import Testing

/// A transport driven by the test: requests and timers are recorded, the test answers them.
final class ScriptedTransport: LLMTransport, @unchecked Sendable {
    final class Call: LLMCancellable {
        let body: [UInt8]
        let events: (LLMTransportEvent) -> Void
        var cancelled = false
        init(body: [UInt8], events: @escaping (LLMTransportEvent) -> Void) {
            self.body = body
            self.events = events
        }
        func cancel() { cancelled = true }
    }

    final class Timer: LLMCancellable {
        let due: Duration
        let body: () -> Void
        var cancelled = false
        init(due: Duration, body: @escaping () -> Void) {
            self.due = due
            self.body = body
        }
        func cancel() { cancelled = true }
    }

    var calls: [Call] = []
    var timers: [Timer] = []
    var clock: Duration = .zero
    var wall: Int64 = 1_765_000_000_000

    func streamChat(body: [UInt8], to upstream: UpstreamDefinition, _ events: @escaping (LLMTransportEvent) -> Void)
        -> any LLMCancellable
    {
        let call = Call(body: body, events: events)
        calls.append(call)
        return call
    }

    func schedule(after delay: Duration, _ body: @escaping () -> Void) -> any LLMCancellable {
        let timer = Timer(due: clock + delay, body: body)
        timers.append(timer)
        return timer
    }

    func now() -> Duration { clock }
    func wallMilliseconds() -> Int64 { wall }
    func utcDate() -> String { "2026-12-05" }

    /// Moves the clock, firing due timers in order.
    func advance(by step: Duration) {
        let target = clock + step
        while let next = timers.filter({ !$0.cancelled && $0.due <= target }).min(by: { $0.due < $1.due }) {
            clock = next.due
            next.cancelled = true
            next.body()
        }
        clock = target
    }

    func ok(_ call: Call, tokens: [String], prompt: Int = 10) {
        call.events(.status(200, retryAfter: nil))
        for token in tokens { call.events(.data(#"{"choices":[{"index":0,"delta":{"content":"\#(token)"}}]}"#)) }
        call.events(.data(#"{"choices":[],"usage":{"prompt_tokens":\#(prompt),"completion_tokens":\#(tokens.count)}}"#))
        call.events(.data("[DONE]"))
        call.events(.end)
    }
}

@Suite("llm engine reply logic, with a scripted transport and a manual clock")
struct LLMReplyTests {
    static func upstream(retries: Int = 2, failures: Int = 5) throws -> UpstreamDefinition {
        var timeouts = UpstreamDefinition.Timeouts()
        timeouts.firstToken = .seconds(5)
        timeouts.betweenTokens = .seconds(5)
        timeouts.total = .seconds(60)
        return try UpstreamDefinition(
            name: "up", baseURL: "http://127.0.0.1:9/v1", model: "m", timeouts: timeouts, retries: retries,
            breakerFailures: failures)
    }

    static func personality(fallback: [String] = []) -> Personality {
        let section = LLMSection(
            upstreamName: "up", upstreamNameLocation: SourceLocationBox(.init(file: "f", line: 1, column: 1)),
            maxTokens: 100, fallback: fallback)
        return Personality(
            id: "bot", name: "Bot", engines: ["llm"], engineSections: ["llm": section],
            source: PersonalitySource(file: "f", location: .init(file: "f", line: 1, column: 1)), version: PersonalityVersion(1))
    }

    /// Starts one reply; returns the events it delivered so far (live array).
    final class Run {
        var events: [TokenStreamEvent] = []
        let stream: any TokenStream
        init(engine: LLMEngine, personality: Personality, state: any EngineSessionState, message: String = "hi") {
            guard case .stream(let stream) = engine.respond(to: EngineRequest(personality: personality, message: message), state: state)
            else { fatalError("the llm engine did not stream") }
            self.stream = stream
            stream.start { [unowned self] in self.events.append($0) }
        }
        var text: String { events.compactMap { if case .token(let t) = $0 { t } else { nil } }.joined() }
    }

    static func setUp(
        upstream: UpstreamDefinition, limits: LimitValues = LimitValues(), fallback: [String] = []
    ) -> (ScriptedTransport, LLMEngine, Personality, any EngineSessionState) {
        let transport = ScriptedTransport()
        let engine = LLMEngine(transport: transport)
        let personality = personality(fallback: fallback)
        let state = engine.makeState(
            for: personality,
            session: EngineSessionContext(
                sessionID: "s", seed: 1, client: "c", limits: limits, upstreams: UpstreamsConfiguration([upstream])))
        return (transport, engine, personality, state)
    }

    @Test("a 429 is retried after Retry-After when it is longer than the backoff")
    func retryAfter() throws {
        let (transport, engine, personality, state) = Self.setUp(upstream: try Self.upstream())
        let run = Run(engine: engine, personality: personality, state: state)
        transport.calls[0].events(.status(429, retryAfter: .seconds(3)))
        #expect(transport.calls[0].cancelled)
        transport.advance(by: .milliseconds(2_999))
        #expect(transport.calls.count == 1)
        transport.advance(by: .milliseconds(1))
        #expect(transport.calls.count == 2)
        transport.ok(transport.calls[1], tokens: ["a", "b"])
        #expect(run.text == "ab" && run.events.last == .finished)
    }

    @Test("retries stop at the configured count and the fallback answers")
    func retriesExhausted() throws {
        let (transport, engine, personality, state) = Self.setUp(
            upstream: try Self.upstream(retries: 1), fallback: ["resting"])
        let run = Run(engine: engine, personality: personality, state: state)
        transport.calls[0].events(.status(503, retryAfter: nil))
        transport.advance(by: .milliseconds(250))
        transport.calls[1].events(.status(503, retryAfter: nil))
        transport.advance(by: .seconds(10))
        #expect(transport.calls.count == 2)
        #expect(run.text == "resting" && run.events.last == .finished)
    }

    @Test("a 4xx other than 429 is not retried; with no fallback the stream declines")
    func noRetryOn400() throws {
        let (transport, engine, personality, state) = Self.setUp(upstream: try Self.upstream())
        let run = Run(engine: engine, personality: personality, state: state)
        transport.calls[0].events(.status(400, retryAfter: nil))
        transport.advance(by: .seconds(10))
        #expect(transport.calls.count == 1 && run.events == [.declined])
    }

    @Test("a failure after the first token is not retried and fails the stream")
    func noRetryAfterFirstToken() throws {
        let (transport, engine, personality, state) = Self.setUp(upstream: try Self.upstream())
        let run = Run(engine: engine, personality: personality, state: state)
        transport.calls[0].events(.status(200, retryAfter: nil))
        transport.calls[0].events(.data(#"{"choices":[{"delta":{"content":"x"}}]}"#))
        transport.calls[0].events(.failed("reset"))
        transport.advance(by: .seconds(10))
        #expect(transport.calls.count == 1)
        #expect(run.events.first == .token("x"))
        if case .failed = run.events.last {} else { Issue.record("expected a failure, got \(run.events)") }
    }

    @Test("the breaker opens after the threshold and refuses without calling the upstream")
    func breaker() throws {
        let (transport, engine, personality, state) = Self.setUp(upstream: try Self.upstream(retries: 0, failures: 2))
        var runs: [Run] = []
        for index in 0..<2 {
            runs.append(Run(engine: engine, personality: personality, state: state))
            transport.calls[index].events(.status(500, retryAfter: nil))
        }
        let refused = Run(engine: engine, personality: personality, state: state)
        #expect(transport.calls.count == 2 && refused.events == [.declined])
        transport.advance(by: .seconds(30))
        runs.append(Run(engine: engine, personality: personality, state: state))
        #expect(transport.calls.count == 3, "after the cooldown one probe goes through")
        #expect(runs.prefix(2).allSatisfy { $0.events.last == .declined })
        runs[2].stream.cancel()
    }

    @Test("max_concurrent one past the edge is refused at once")
    func concurrency() throws {
        var upstream = try Self.upstream()
        upstream.maxConcurrent = 2
        let (transport, engine, personality, state) = Self.setUp(upstream: upstream)
        let first = Run(engine: engine, personality: personality, state: state)
        let second = Run(engine: engine, personality: personality, state: state)
        defer { first.stream.cancel(); second.stream.cancel() }
        let third = Run(engine: engine, personality: personality, state: state)
        #expect(transport.calls.count == 2 && third.events == [.declined] && engine.inFlight(to: "up") == 2)
    }

    @Test("cancel closes the upstream call and frees its slot")
    func cancel() throws {
        let (transport, engine, personality, state) = Self.setUp(upstream: try Self.upstream())
        let run = Run(engine: engine, personality: personality, state: state)
        transport.calls[0].events(.status(200, retryAfter: nil))
        run.stream.cancel()
        #expect(transport.calls[0].cancelled && engine.inFlight(to: "up") == 0)
    }

    @Test("max_tokens is the smaller of the section's and the limits' max_reply_tokens")
    func maxTokensCapped() throws {
        let (transport, engine, personality, state) = Self.setUp(
            upstream: try Self.upstream(), limits: LimitValues(maxReplyTokens: 7))
        let run = Run(engine: engine, personality: personality, state: state)
        #expect(String(decoding: transport.calls[0].body, as: UTF8.self).contains(#""max_tokens":7"#))
        run.stream.cancel()
    }

    @Test("the daily token budget reserves the maximum and settles on the reported count")
    func budget() throws {
        // Body ≈ 200 bytes → about 50 prompt tokens, + max_tokens 100 reserved.
        let (transport, engine, personality, state) = Self.setUp(
            upstream: try Self.upstream(), limits: LimitValues(dailyTokensPerClient: 300))
        let first = Run(engine: engine, personality: personality, state: state)
        transport.ok(transport.calls[0], tokens: ["a"], prompt: 190)  // spent 191
        #expect(first.text == "a")
        let second = Run(engine: engine, personality: personality, state: state)
        #expect(transport.calls.count == 1 && second.events == [.declined], "191 spent + a reservation of 100 and more > 300")
        transport.wall += 86_400_000
        let nextDay = Run(engine: engine, personality: personality, state: state)
        #expect(transport.calls.count == 2 && nextDay.events.isEmpty, "a new UTC day starts a new budget")
    }

    @Test("the first-token timeout fails an attempt with no token")
    func firstTokenTimeout() throws {
        let (transport, engine, personality, state) = Self.setUp(upstream: try Self.upstream())
        let run = Run(engine: engine, personality: personality, state: state)
        transport.calls[0].events(.status(200, retryAfter: nil))
        transport.advance(by: .seconds(5))
        #expect(transport.calls[0].cancelled && run.events == [.declined])
    }
}
