import Diagnostics
import Engines
import Observability
import Personality
import Reactor
import Synchronization

/// Runs reloads: build the new set aside, validate it (and run the authors' tests when
/// asked), then swap it in whole — or keep the current one and report every error.
///
/// The same function serves the admin API, SIGHUP and `--watch`, so the three triggers cannot
/// drift apart. Reloads are serialised (a second trigger waits for the first), and each one
/// is blocking: call it off the event loops (the admin route does; SIGHUP comes from its own
/// thread; the watcher hops to a global queue).
///
/// The coordinator owns the authoritative ``Registry``; `publish` hands an applied snapshot to
/// the hubs (each applies it with `ChatHub.registryReplaced`, so sessions finish their current
/// reply on the old version) and returns once every hub has it. The time `publish` takes is
/// the reported swap time.
public final class ReloadCoordinator: Sendable {
    /// The authoritative registry (what `/admin/personalities` lists).
    public let registry: Registry
    private let build: @Sendable () -> (snapshot: RegistrySnapshot?, diagnostics: [Diagnostic])
    private let tests: PersonalityTestRunner
    private let publish: @Sendable (RegistrySnapshot) -> Void
    private let clock: any ReactorClock
    private let logger: Logger?
    private let serial = Mutex(())
    private let counts = Mutex((ok: 0, failed: 0))
    /// Told every reload that was not a dry run (the node link propagates and records them).
    package let onReport = Mutex<(@Sendable (ReloadReport) -> Void)?>(nil)

    /// Creates a coordinator serving `registry`.
    ///
    /// - Parameters:
    ///   - build: reads and builds the personality tree (the same function start-up used).
    ///   - tests: runs author tests for `run_tests` reloads.
    ///   - publish: gives an applied snapshot to every hub; returns when all have it.
    ///   - clock: measures build and swap time.
    ///   - logger: gets one line per reload.
    public convenience init(
        registry: Registry, build: @escaping @Sendable () -> RegistryBuilder.Result,
        tests: PersonalityTestRunner = PersonalityTestRunner(), clock: any ReactorClock = MonotonicClock(),
        logger: Logger? = nil, publish: @escaping @Sendable (RegistrySnapshot) -> Void
    ) {
        self.init(
            registry: registry,
            loading: {
                let result = build()
                return (result.snapshot, result.diagnostics)
            }, tests: tests, clock: clock, logger: logger, publish: publish)
    }

    /// Creates a coordinator whose `loading` closure returns a snapshot (or none) and every
    /// diagnostic — for loaders that post-process the builder's result (rule-file overrides).
    public init(
        registry: Registry,
        loading build: @escaping @Sendable () -> (snapshot: RegistrySnapshot?, diagnostics: [Diagnostic]),
        tests: PersonalityTestRunner = PersonalityTestRunner(), clock: any ReactorClock = MonotonicClock(),
        logger: Logger? = nil, publish: @escaping @Sendable (RegistrySnapshot) -> Void
    ) {
        self.registry = registry
        self.build = build
        self.tests = tests
        self.publish = publish
        self.clock = clock
        self.logger = logger
    }

    /// Reloads applied and rejected so far (dry runs count in neither).
    public var reloadCounts: (ok: Int, failed: Int) { counts.withLock { $0 } }

    /// Builds, checks and (unless `dryRun`) swaps. Blocking; never call on an event loop.
    public func reload(trigger: ReloadTrigger, dryRun: Bool = false, runTests: Bool = false) -> ReloadReport {
        serial.withLock { _ in
            let started = clock.now()
            let result = build()
            var errors = result.diagnostics.filter { $0.severity == .error }
            let warnings = result.diagnostics.filter { $0.severity != .error }
            var testsRun = 0
            var testsFailed = 0
            if runTests, let snapshot = result.snapshot {
                for outcome in tests.run(snapshot.personalities) {
                    testsRun += 1
                    guard !outcome.passed else { continue }
                    testsFailed += 1
                    for failure in outcome.failures {
                        errors.append(
                            .error(
                                "test-failed", at: failure.location,
                                "test '\(outcome.name)' of '\(outcome.personalityID)' failed at turn \(failure.turn): \(failure.diff)"
                            ))
                    }
                }
            }
            let built = clock.now()
            let current = registry.current
            let report: ReloadReport
            if let snapshot = result.snapshot, errors.isEmpty {
                let diff = RegistryDiff(from: current, to: snapshot)
                if dryRun {
                    report = ReloadReport(
                        outcome: .dryRun, trigger: trigger, diff: diff, errors: [], warnings: warnings,
                        testsRun: testsRun,
                        servingVersion: current.version, buildDuration: started.duration(to: built),
                        swapDuration: .zero)
                } else {
                    registry.replace(with: snapshot)
                    publish(snapshot)
                    let swapped = clock.now()
                    counts.withLock { $0.ok += 1 }
                    report = ReloadReport(
                        outcome: .applied, trigger: trigger, diff: diff, errors: [], warnings: warnings,
                        testsRun: testsRun,
                        servingVersion: snapshot.version, buildDuration: started.duration(to: built),
                        swapDuration: built.duration(to: swapped))
                }
            } else {
                if !dryRun { counts.withLock { $0.failed += 1 } }
                report = ReloadReport(
                    outcome: .rejected, trigger: trigger, diff: nil, errors: errors, warnings: warnings,
                    testsRun: testsRun,
                    testsFailed: testsFailed, servingVersion: current.version,
                    buildDuration: started.duration(to: built),
                    swapDuration: .zero)
            }
            logger?.reload(
                ReloadLogSummary(
                    trigger: trigger.rawValue, applied: report.outcome == .applied, dryRun: dryRun,
                    errors: report.errors.count,
                    added: report.diff?.added.count ?? 0, removed: report.diff?.removed.count ?? 0,
                    changed: report.diff?.changed.count ?? 0, version: report.servingVersion.description,
                    buildSeconds: report.buildDuration.seconds, swapSeconds: report.swapDuration.seconds,
                    firstError: report.errors.first?.description))
            if !dryRun { onReport.withLock { $0 }?(report) }
            return report
        }
    }
}

extension Duration {
    /// The duration in seconds, as a double (for logs and JSON).
    package var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
