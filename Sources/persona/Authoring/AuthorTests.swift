import CLI
import Engines
import Personality

/// Runs personalities' `tests:` sections and prints one line per test plus the summary line
/// `N passed, M failed` — shared by `persona test` and `persona validate --run-tests`.
enum AuthorTests {
    /// Runs every test of `personalities`, printing results; throws (exit 1) when any fails.
    static func run(_ personalities: [Personality], context: CommandContext) async throws {
        let results = PersonalityTestRunner(registry: BuiltInEngines.registry).run(personalities)
        for result in results { context.stdout.writeLine(result.report) }
        let failed = results.filter { !$0.passed }.count
        context.stdout.writeLine("\(results.count - failed) passed, \(failed) failed")
        if failed > 0 { throw CommandFailure("\(failed) personality test\(failed == 1 ? "" : "s") failed") }
    }
}
