import CLI
import Diagnostics
import Engines
import Personality

/// `persona test`: runs the authors' tests (`tests:` in each personality) and reports each one.
///
/// Prints `✓ id: name` for a passing test and `✗ id: name` with a diff for a failing one, then a
/// summary line `N passed, M failed`. Exits 1 when any test fails or any file has errors.
enum TestCommand {
    /// The command's declaration.
    static let command = Command(
        name: "test",
        abstract: "Run the author tests of personalities.",
        discussion: """
            Each test is a fresh session seeded with the test's seed (0 when absent). Files with \
            errors are reported on stderr; the personalities that loaded are still tested.
            """,
        arguments: [
            Argument(
                "paths", .zeroOrMore, default: "Personalities",
                help: "Personality files or folders (default: Personalities).")
        ],
        options: [
            .option(
                "personality", short: "p", valueName: "id", repeatable: true,
                help: "Only test these personalities."),
            .option(
                "format", type: .choice(of: AuthorTests.Format.self), default: "text",
                help: "text (a line per test and a diff) or json (each test and turn: expected, got, passed)."),
        ],
        run: run)

    /// Loads, runs and reports.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        var paths = values.strings("paths")
        if paths.isEmpty { paths = ["Personalities"] }
        let registry = BuiltInEngines.registry
        let build = RegistryBuilder(catalog: registry.catalog).build(paths: paths)
        for diagnostic in build.diagnostics { context.stderr.writeLine(diagnostic.description) }
        let only = Set(values.strings("personality"))
        var personalities = build.personalities
        if !only.isEmpty { personalities = personalities.filter { only.contains($0.id) } }
        do {
            try await AuthorTests.run(
                personalities, format: try values.choice("format", as: AuthorTests.Format.self), context: context)
        } catch {
            throw ExitCode.failure
        }
        if build.diagnostics.containsErrors { throw ExitCode.failure }
    }
}
