import Diagnostics
import Policies
import Personality
import Testing

@Suite("limits.yaml: named sets, inheritance, selection and overrides")
struct LimitsTests {
    static let limitsFile = """
        default: standard
        sets:
          standard:
            responses_per_session: 20
            session_rate: 20/min
            session_burst: 5
            max_input_chars: 2000
            idle_timeout: 5m
            on_limit: farewell
          strict:
            extends: standard
            responses_per_session: 5
            on_limit: error
        rules:
          - { tier: free, use: strict }
          - { personality: support-*, use: strict }
        """

    static func build(_ personalities: [String]) -> RegistrySnapshot? {
        RegistryBuilder.testing.build(
            [SourceFile(name: "limits.yaml", text: limitsFile)]
                + personalities.enumerated().map { SourceFile(name: "p\($0.offset).yaml", text: $0.element) }
        ).snapshot
    }

    @Test("a set that extends another inherits what it does not set")
    func extendsInherits() throws {
        let snapshot = try #require(Self.build([personalityYAML()]))
        let strict = try #require(snapshot.limits.resolvedValues(of: "strict"))
        #expect(strict.responsesPerSession == 5)
        #expect(strict.sessionRate == Rate(count: 20, per: .seconds(60)))
        #expect(strict.sessionBurst == 5)
        #expect(strict.idleTimeout == .seconds(300))
        #expect(strict.onLimit == .error)
    }

    @Test("picks the set by personality name, then by rule (tier, id pattern), then the default")
    func selection() throws {
        let snapshot = try #require(
            Self.build([personalityYAML(id: "plain"), personalityYAML(id: "support-bot"), personalityYAML(id: "named", extra: "limits: standard")]))
        let plain = try #require(snapshot.personality("plain"))
        let support = try #require(snapshot.personality("support-bot"))
        let named = try #require(snapshot.personality("named"))
        #expect(snapshot.limits(for: plain).responsesPerSession == 20)
        #expect(snapshot.limits(for: plain, tier: "free").responsesPerSession == 5)
        #expect(snapshot.limits(for: support).responsesPerSession == 5)
        #expect(snapshot.limits(for: named, tier: "free").responsesPerSession == 20)
    }

    @Test("inline overrides in a personality replace the set's values")
    func inlineOverrides() throws {
        let snapshot = try #require(Self.build([personalityYAML(extra: "limits: { use: strict, max_input_chars: 500 }")]))
        let values = snapshot.limits(for: try #require(snapshot.personality("captain")))
        #expect(values.maxInputCharacters == 500)
        #expect(values.responsesPerSession == 5)
    }

    @Test("refuses sets that extend each other in a cycle")
    func cycles() {
        let result = RegistryBuilder.testing.build([
            SourceFile(name: "limits.yaml", text: "sets:\n  a: { extends: b }\n  b: { extends: a }\n")
        ])
        #expect(result.diagnostics.map(\.description) == [
            "limits.yaml:2:3: error: limit sets extend each other in a cycle: a -> b -> a",
            "limits.yaml:3:3: error: limit sets extend each other in a cycle: b -> a -> b",
        ])
    }

    @Test(
        "refuses each limit value one past its edge",
        arguments: [
            ("responses_per_session: 0", "'responses_per_session' must be between 1 and 10000000, found 0"),
            ("responses_per_session: 10000001", "'responses_per_session' must be between 1 and 10000000, found 10000001"),
            ("session_burst: 100001", "'session_burst' must be between 0 and 100000, found 100001"),
            ("max_input_chars: 1000001", "'max_input_chars' must be between 1 and 1000000, found 1000001"),
            ("max_reply_tokens: 100001", "'max_reply_tokens' must be between 1 and 100000, found 100001"),
            ("idle_timeout: 7d1s", "'idle_timeout' must be between 1s and 7d, found '7d1s'"),
            ("session_timeout: 30d1s", "'session_timeout' must be between 1s and 30d, found '30d1s'"),
            ("session_rate: 0/min", "'session_rate' must be a rate such as 30/min, 5/s, 100/h or 1000/day (count > 0); found '0/min'"),
            ("on_limit: shout", "'on_limit' must be one of farewell, error; found 'shout'"),
        ])
    func limitEdges(line: String, message: String) {
        let result = RegistryBuilder.testing.build([SourceFile(name: "limits.yaml", text: "sets:\n  s:\n    \(line)\n")])
        #expect(result.diagnostics.map(\.message) == [message])
    }

    @Test(
        "accepts each limit value exactly at its edge",
        arguments: [
            "responses_per_session: 10000000", "session_rate: 1/s\n    session_burst: 100000", "max_input_chars: 1000000",
            "max_reply_tokens: 100000", "idle_timeout: 7d", "session_timeout: 30d", "session_rate: 1/day",
        ])
    func limitEdgesAccepted(line: String) {
        let result = RegistryBuilder.testing.build([SourceFile(name: "limits.yaml", text: "sets:\n  s:\n    \(line)\n")])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    }

    @Test("parses and prints durations", arguments: [("250ms", 250), ("10s", 10_000), ("1h30m", 5_400_000), ("2d", 172_800_000)])
    func durations(text: String, milliseconds: Int64) {
        #expect(DurationText.parse(text) == .milliseconds(milliseconds))
        #expect(DurationText.format(.milliseconds(milliseconds)) == text)
    }

    @Test("refuses durations without a unit or with an unknown one", arguments: ["10", "10 parsecs", "s", "", "-5s"])
    func badDurations(text: String) {
        #expect(DurationText.parse(text) == nil)
    }
}
