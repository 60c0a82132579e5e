import CLI
import Personality

/// Runs personalities' `tests:` sections for `persona validate --run-tests`.
///
/// The script engine's test runner plugs in here; until it is merged, asking for tests fails
/// plainly instead of pretending they passed.
enum AuthorTests {
    /// Runs every test of `personalities`, printing results; throws when any fails.
    static func run(_ personalities: [Personality], context: CommandContext) async throws {
        throw CommandFailure("this build has no test runner for personality tests")
    }
}
