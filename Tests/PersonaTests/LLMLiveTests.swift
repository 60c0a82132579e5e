import Foundation
import PersonaTestSupport
import Testing

/// Whether the peers of the llm live tests are installed: the `websockets` client, the
/// `mockllm` server (Tests/requirements.txt) and the `openssl` command.
let llmPeersAvailable: Bool = {
    guard
        let result = try? ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["sh", "-c", "python3 -c 'import websockets, mockllm, uvicorn' && openssl version"])
    else { return false }
    return result.status == 0
}()

/// One run of `Python/llm_scenarios.py`, shared by every test below: it starts the fault
/// injecting upstream (plain and TLS), the third-party mockllm server and `persona serve`
/// once, and prints one `ok <scenario>: …` or `FAIL <scenario>: …` line per scenario.
let llmScenarioRun: (lines: [String], stderr: String) = {
    let script = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Python/llm_scenarios.py")
    guard
        let result = try? ProcessResult.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, PersonaBinary.url.path])
    else { return ([], "llm_scenarios.py could not be started") }
    return (result.stdout.split(separator: "\n").map(String.init), result.stderr)
}()

/// The line of `scenario`, failing the test with the script's output when it did not pass.
func llmScenario(_ scenario: String) -> String? {
    let run = llmScenarioRun
    guard let line = run.lines.first(where: { $0.hasPrefix("ok \(scenario):") }) else {
        Issue.record("scenario \(scenario) did not pass:\n\(run.lines.joined(separator: "\n"))\n\(run.stderr)")
        return nil
    }
    return line
}

@Suite(
    "llm engine, live: persona serve in front of mockllm and a fault-injecting upstream",
    .enabled(if: llmPeersAvailable, "needs python3 websockets + mockllm (Tests/requirements.txt) and openssl"))
struct LLMLiveTests {
    @Test("a chat through /v1/ws streams mockllm's tokens, joining to its text")
    func thirdPartyServer() { #expect(llmScenario("live_mockllm") != nil) }

    @Test("the upstream receives the scrubbed text, the system prompt and the examples")
    func requestShape() { #expect(llmScenario("streamed_ok") != nil) }

    @Test("history_turns sends only the last exchanges")
    func history() { #expect(llmScenario("history_and_headers") != nil) }

    @Test("a 429 with Retry-After is retried after the delay and the client sees the reply")
    func retryAfter() { #expect(llmScenario("retry_after_429") != nil) }

    @Test("a 500 then success is retried once")
    func retry500() { #expect(llmScenario("retry_500") != nil) }

    @Test("a reset mid-stream keeps the tokens sent and ends with finish error")
    func reset() { #expect(llmScenario("reset_mid_stream") != nil) }

    @Test("a first token too slow lets the next engine answer")
    func slowFirstToken() { #expect(llmScenario("slow_first_token") != nil) }

    @Test("a stalled stream ends with finish error after the between-tokens timeout")
    func stalled() { #expect(llmScenario("stalled_stream") != nil) }

    @Test("malformed SSE lets the next engine, or the llm fallback line, answer")
    func malformed() { #expect(llmScenario("malformed_sse") != nil) }

    @Test("an oversized event line fails the request and the next engine answers")
    func oversized() { #expect(llmScenario("oversized_line") != nil) }

    @Test("a TLS upstream with a self-signed CA is accepted only with tls.ca_file")
    func tlsCustomCA() { #expect(llmScenario("tls_trusted") != nil) }

    @Test("a certificate for another host name is refused")
    func tlsWrongHost() { #expect(llmScenario("tls_wrong_host") != nil) }

    @Test("cancel closes the upstream connection within one token")
    func cancel() { #expect(llmScenario("cancel_closes_upstream") != nil) }

    @Test("hitting max_reply_tokens caps max_tokens and closes the upstream request")
    func limit() { #expect(llmScenario("limit_closes_upstream") != nil) }

    @Test("a client leaving closes its upstream request")
    func leaving() { #expect(llmScenario("leaving_closes_upstream") != nil) }

    @Test("100 stalled upstream streams do not stop other sessions from answering")
    func hundredStalled() { #expect(llmScenario("hundred_stalled") != nil) }

    @Test("the circuit breaker stops calling a failing upstream")
    func breaker() { #expect(llmScenario("circuit_breaker") != nil) }

    @Test("daily_tokens_per_client refuses a request before it is sent")
    func dailyBudget() { #expect(llmScenario("daily_token_budget") != nil) }

    @Test("llm replies with temperature > 0 are cached only when the author opts in")
    func cache() { #expect(llmScenario("cache_rules") != nil) }

    @Test("usage is counted per personality, client and tenant in /metrics")
    func usage() { #expect(llmScenario("usage_metrics") != nil) }
}
