import Diagnostics
import Engines
import Testing

@Suite("Script limits")
struct ScriptLimitTests {
    /// `go 0` redirects to `go 1` … up to `go N`, which answers "done".
    static func chain(_ redirects: Int, limit: Int? = nil) -> ScriptHarness {
        var script = limit.map { "max_redirect_depth: \($0)\n" } ?? ""
        script += "rules:\n"
        for step in 0..<redirects {
            script += "  - { match: \"go \(step)\", redirect: \"go \(step + 1)\" }\n"
        }
        script += "  - { match: \"go \(redirects)\", reply: \"done\" }\nfallback: \"too deep\"\n"
        return ScriptHarness(script: script)
    }

    @Test("follows max_redirect_depth (default 16) redirects and refuses one more")
    func redirectDepth() {
        #expect(ScriptConfiguration().maxRedirectDepth == 16)
        #expect(Self.chain(16).say("go 0") == "done")
        let harness = Self.chain(17)
        #expect(harness.say("go 0") == "too deep")
        #expect(harness.explain("go 0")?.steps.contains(.redirectLimit(depth: 16)) == true)
    }

    @Test("a configured max_redirect_depth is honoured exactly")
    func configuredDepth() {
        #expect(Self.chain(3, limit: 3).say("go 0") == "done")
        #expect(Self.chain(4, limit: 3).say("go 0") == "too deep")
    }

    @Test("a redirect loop ends at the limit with the fallback, and lint reports it")
    func loop() {
        let harness = ScriptHarness(
            script: """
                rules:
                  - { match: "ping", redirect: "pong" }
                  - { match: "pong", redirect: "ping" }
                fallback: "stopped"
                """)
        #expect(harness.errors.isEmpty)
        #expect(harness.warnings.map(\.code).contains("redirect-cycle"))
        #expect(harness.say("ping") == "stopped")
        // A loop lint cannot see (the target depends on the input) is stopped at run time.
        let dynamic = ScriptHarness(
            script: """
                rules:
                  - { match: "ping *", redirect: "ping {star}" }
                fallback: "stopped"
                """)
        #expect(dynamic.errors.isEmpty)
        #expect(dynamic.say("ping me") == "stopped")
    }

    @Test("a trigger needing max_match_steps steps matches; one step fewer and it does not")
    func matchSteps() throws {
        let pattern = try PatternParser().parse("* a * b * c")
        let words = "x x x a x x x b x x c".split(separator: " ").map {
            InputWord(key: String($0), original: String($0))
        }
        let (match, steps) = PatternMatcher.matchCounting(pattern, words, maxSteps: 1_000_000)
        #expect(match != nil)
        #expect(PatternMatcher.match(pattern, words, maxSteps: steps) != nil)
        #expect(PatternMatcher.match(pattern, words, maxSteps: steps - 1) == nil)
    }

    @Test("a hostile pattern on a long input gives up within the default budget")
    func hostile() throws {
        let pattern = try PatternParser().parse("* * * * * * * * * * z")
        let words = Array(repeating: InputWord(key: "a", original: "a"), count: 200)
        let (match, steps) = PatternMatcher.matchCounting(
            pattern, words, maxSteps: ScriptConfiguration().maxMatchSteps)
        #expect(match == nil)
        #expect(steps <= ScriptConfiguration().maxMatchSteps + 1)
    }

    @Test("remembers the last 9 inputs and replies, and forgets the 10th")
    func history() {
        let harness = ScriptHarness(
            script: """
                rules:
                  - { match: "say #", reply: "{star}" }
                  - { match: "history", reply: "{input9} {reply9}" }
                """)
        for number in 1...10 { harness.say("say \(number)") }
        #expect(ScriptSessionState.historyLength == 9)
        #expect(harness.state.inputs.count == 9)
        #expect(harness.state.inputs.last == "say 2")
        #expect(harness.say("history") == "say 2 2")
    }
}
