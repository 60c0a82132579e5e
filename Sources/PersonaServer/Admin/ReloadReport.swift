import Diagnostics
import Personality

/// The result of one reload, as every trigger reports it: the admin API renders it as JSON,
/// `persona reload` prints it, SIGHUP and `--watch` log it.
public struct ReloadReport: Sendable {
    /// How the reload ended.
    public enum Outcome: String, Hashable, Sendable {
        /// The new snapshot is in force.
        case applied
        /// A dry run that found no errors: what *would* change; nothing was swapped.
        case dryRun = "dry_run"
        /// Errors (or failing author tests) were found; the old snapshot keeps serving.
        case rejected
    }

    /// How it ended.
    public var outcome: Outcome
    /// What asked for it.
    public var trigger: ReloadTrigger
    /// What changed (or would change, for a dry run); `nil` when rejected.
    public var diff: RegistryDiff?
    /// Every error with its `file:line:col` (build errors, then failing author tests).
    public var errors: [Diagnostic]
    /// Warnings from the build (they never block a reload).
    public var warnings: [Diagnostic]
    /// Author tests run (0 unless asked), and how many failed.
    public var testsRun: Int, testsFailed: Int
    /// The snapshot version serving after the reload.
    public var servingVersion: PersonalityVersion
    /// Time reading, building and checking the new set aside.
    public var buildDuration: Duration
    /// Time from the decision to swap until every hub used the new snapshot (zero unless applied).
    public var swapDuration: Duration

    /// Creates a report.
    public init(
        outcome: Outcome, trigger: ReloadTrigger, diff: RegistryDiff?, errors: [Diagnostic],
        warnings: [Diagnostic],
        testsRun: Int = 0, testsFailed: Int = 0, servingVersion: PersonalityVersion, buildDuration: Duration,
        swapDuration: Duration
    ) {
        self.outcome = outcome
        self.trigger = trigger
        self.diff = diff
        self.errors = errors
        self.warnings = warnings
        self.testsRun = testsRun
        self.testsFailed = testsFailed
        self.servingVersion = servingVersion
        self.buildDuration = buildDuration
        self.swapDuration = swapDuration
    }

    /// Lines for a person: the outcome, then the diff or every error.
    public var summary: [String] {
        var lines: [String]
        switch outcome {
        case .applied: lines = ["reload applied (version \(servingVersion))"]
        case .dryRun: lines = ["dry run: nothing changed on the server; the reload would apply"]
        case .rejected:
            lines = [
                "reload rejected: \(errors.count) error\(errors.count == 1 ? "" : "s"); still serving version \(servingVersion)"
            ]
        }
        if testsRun > 0 { lines.append("author tests: \(testsRun - testsFailed) of \(testsRun) passed") }
        lines += errors.map(\.description)
        lines += warnings.map(\.description)
        if let diff { lines += diff.summary }
        return lines
    }
}
