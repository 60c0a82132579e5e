import Diagnostics
import Personality

/// Runs a personality's author tests (`tests:`) against its engines, as `persona test` and
/// `persona validate --run-tests` do.
///
/// Each test is a fresh session seeded with the test's `seed` (0 when absent), so random replies
/// are reproducible. Each turn sends `say` through the personality's engine chain (first engine
/// that answers wins) and checks the reply (`expect`, `expect_one_of`, `expect_match`) and the
/// session variables (`vars`; `undefined` means unset). Engines that stream are driven to
/// completion when they finish synchronously; one that would need an event loop fails the turn
/// with a clear message rather than blocking.
public struct PersonalityTestRunner: Sendable {
    /// The engines to answer with.
    public var registry: EngineRegistry

    /// Creates a runner.
    public init(registry: EngineRegistry = .builtIn) {
        self.registry = registry
    }

    /// Every test of every personality, in order.
    public func run(_ personalities: [Personality]) -> [PersonalityTestResult] {
        personalities.flatMap(run)
    }

    /// Every test of `personality`.
    public func run(_ personality: Personality) -> [PersonalityTestResult] {
        personality.tests.map { run($0, of: personality) }
    }

    /// One test.
    public func run(_ test: PersonalityTest, of personality: Personality) -> PersonalityTestResult {
        var result = PersonalityTestResult(
            personalityID: personality.id, name: test.name, location: test.location.location, failures: [])
        let chain: EngineChain
        do throws(EngineError) {
            chain = try registry.chain(
                for: personality, session: EngineSessionContext(sessionID: "test", seed: test.seed ?? 0))
        } catch {
            result.failures.append(
                PersonalityTestFailure(
                    turn: 0, say: "", location: test.location.location,
                    diff: "cannot start a session: \(error)"))
            return result
        }
        let scriptState = chain.state(of: "script") as? ScriptSessionState
        let compatibility =
            personality.section(for: "script", as: ScriptSection.self)?.compatibility ?? .persona
        if let scene = test.scene {
            guard let scriptState else {
                result.failures.append(
                    PersonalityTestFailure(
                        turn: 0, say: "", location: test.location.location,
                        diff: "'given:' sets script-engine state, but this personality has no script engine"))
                return result
            }
            Self.apply(scene, to: scriptState)
        }
        for (index, turn) in test.turns.enumerated() {
            var reply: String?
            var problems: [String] = []
            if let say = turn.say {
                switch Self.collect(chain.respond(to: say)) {
                case .success(let text): reply = text
                case .failure(let message): problems.append(message)
                }
                if problems.isEmpty, let expectation = turn.expectation,
                    let problem = Self.check(reply, against: expectation)
                {
                    problems.append(problem)
                }
            }
            if !turn.variables.isEmpty {
                for (name, expected) in turn.variables.sorted(by: { $0.key < $1.key }) {
                    let actual = scriptState?.value(of: name, compatibility: compatibility) ?? "undefined"
                    if actual != expected {
                        problems.append("variable '\(name)'\n" + Self.diff(expected: expected, got: actual))
                    }
                }
            }
            if let topic = turn.topic {
                let actual = scriptState?.topic ?? "(no script engine)"
                if actual != topic { problems.append("topic\n" + Self.diff(expected: topic, got: actual)) }
            }
            result.turns.append(
                PersonalityTestTurnResult(
                    turn: index + 1, say: turn.say, expected: turn.expectation.map(Self.describe), got: reply,
                    passed: problems.isEmpty))
            if !problems.isEmpty {
                result.failures.append(
                    PersonalityTestFailure(
                        turn: index + 1, say: turn.say ?? "", location: turn.location.location,
                        diff: problems.joined(separator: "\n")))
            }
        }
        return result
    }

    /// Sets the state a test starts in.
    static func apply(_ scene: PersonalityTestScene, to state: ScriptSessionState) {
        state.variables.merge(scene.variables) { $1 }
        state.botVariables.merge(scene.botVariables) { $1 }
        state.globals.merge(scene.globals) { $1 }
        if let topic = scene.topic { state.topic = topic }
    }

    /// An expectation in words, for reports.
    public static func describe(_ expectation: ReplyExpectation) -> String {
        switch expectation {
        case .exact(let text): return text
        case .oneOf(let options): return "one of [" + options.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        case .matches(let pattern): return "/\(pattern)/"
        }
    }

    private enum Collected {
        case success(String?)
        case failure(String)
    }

    private static func collect(_ response: EngineResponse) -> Collected {
        switch response {
        case .reply(let text): return .success(text)
        case .declined: return .success(nil)
        case .stream(let stream):
            var text = ""
            var outcome: Collected?
            stream.start { event in
                switch event {
                case .token(let token): text += token
                case .finished: outcome = .success(text)
                case .declined: outcome = .success(nil)
                case .failed(let error): outcome = .failure("the engine failed: \(error)")
                }
            }
            guard let outcome else {
                stream.cancel()
                return .failure(
                    "the engine streams its reply asynchronously; author tests run synchronous engines only")
            }
            return outcome
        }
    }

    /// `nil` when `reply` meets `expectation`, otherwise the readable difference.
    public static func check(_ reply: String?, against expectation: ReplyExpectation) -> String? {
        guard let reply else {
            return "expected a reply, but no engine answered (no rule matched and there is no fallback)"
        }
        switch expectation {
        case .exact(let expected):
            return reply == expected ? nil : diff(expected: expected, got: reply)
        case .oneOf(let options):
            if options.contains(reply) { return nil }
            return "expected one of:\n" + options.map { "      \"\($0)\"" }.joined(separator: "\n")
                + "\n     got: \"\(reply)\""
        case .matches(let pattern):
            do {
                let regex = try Regex(pattern)
                return reply.contains(regex)
                    ? nil : "expected a match for /\(pattern)/\n     got: \"\(reply)\""
            } catch {
                return "expect_match /\(pattern)/ is not a valid regular expression: \(error)"
            }
        }
    }

    /// `expected:` and `got:` lines, and a caret under the first character that differs.
    public static func diff(expected: String, got: String) -> String {
        let e = Array(expected)
        let g = Array(got)
        var index = 0
        while index < e.count, index < g.count, e[index] == g[index] { index += 1 }
        let caret = String(repeating: " ", count: "     got: \"".count + index) + "^"
        return
            "expected: \"\(expected)\"\n     got: \"\(got)\"\n\(caret) first difference at character \(index + 1)"
    }
}
