import Diagnostics

/// The outcome of one author test.
public struct PersonalityTestResult: Hashable, Sendable {
    /// The personality tested.
    public var personalityID: String
    /// The test's name.
    public var name: String
    /// Where the test is defined.
    public var location: SourceLocation
    /// What went wrong; empty when the test passed.
    public var failures: [PersonalityTestFailure]
    /// Every turn, passed or not, for machine-readable reports.
    public var turns: [PersonalityTestTurnResult] = []

    /// True when every turn met its expectations.
    public var passed: Bool { failures.isEmpty }

    /// `✓ id: name`, or `✗ id: name` followed by each failure, indented.
    public var report: String {
        guard !passed else { return "✓ \(personalityID): \(name)" }
        var lines = ["✗ \(personalityID): \(name)"]
        for failure in failures {
            lines.append(
                failure.report.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
                    .joined(separator: "\n"))
        }
        return lines.joined(separator: "\n")
    }
}

/// One unmet expectation of a test turn.
public struct PersonalityTestFailure: Hashable, Sendable {
    /// 1-based turn number.
    public var turn: Int
    /// What the user said in that turn.
    public var say: String
    /// Where the turn is defined.
    public var location: SourceLocation
    /// The readable difference (expected vs got).
    public var diff: String

    /// `turn N (file:line:col) say "…"` and the diff.
    public var report: String {
        "turn \(turn) at \(location): say \"\(say)\"\n\(diff)"
    }
}

/// One turn of a test as run: what was said, expected and answered.
public struct PersonalityTestTurnResult: Hashable, Sendable {
    /// 1-based turn number.
    public var turn: Int
    /// What the user said; `nil` for a turn that only checks.
    public var say: String?
    /// The expectation in words (`"Hello!"`, `one of […]`, `/regex/`); `nil` when the turn
    /// checks no reply.
    public var expected: String?
    /// The reply; `nil` when the turn said nothing or no engine answered.
    public var got: String?
    /// True when every check of the turn held.
    public var passed: Bool

    /// Creates a turn result.
    public init(turn: Int, say: String?, expected: String?, got: String?, passed: Bool) {
        self.turn = turn
        self.say = say
        self.expected = expected
        self.got = got
        self.passed = passed
    }
}
