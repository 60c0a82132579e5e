import CLI
import Engines
import JSON
import Personality

/// Runs personalities' `tests:` sections and prints one line per test plus the summary line
/// `N passed, M failed` — shared by `persona test` and `persona validate --run-tests`.
enum AuthorTests {
    /// How results are printed.
    enum Format: String, CaseIterable {
        /// `✓ id: name` / `✗ id: name` and a diff per test, then the summary line.
        case text
        /// One JSON document: the counts, and per test its turns (say, expected, got, passed).
        case json
    }

    /// Runs every test of `personalities`, printing results; throws (exit 1) when any fails.
    static func run(_ personalities: [Personality], format: Format = .text, context: CommandContext) async throws {
        let results = PersonalityTestRunner(registry: BuiltInEngines.registry).run(personalities)
        let failed = results.filter { !$0.passed }.count
        switch format {
        case .text:
            for result in results { context.stdout.writeLine(result.report) }
            context.stdout.writeLine("\(results.count - failed) passed, \(failed) failed")
        case .json:
            context.stdout.writeLine(json(results).serialized(pretty: true))
        }
        if failed > 0 { throw CommandFailure("\(failed) personality test\(failed == 1 ? "" : "s") failed") }
    }

    /// The machine-readable report: `passed`, `failed`, and `tests`, each with `personality`,
    /// `name`, `location`, `passed`, `turns` (`turn`, `say`, `expected`, `got`, `passed`; absent
    /// values are `null`) and `failures` (the readable diffs).
    static func json(_ results: [PersonalityTestResult]) -> JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        let failed = results.filter { !$0.passed }.count
        let tests: [JSONValue] = results.map { result in
            .object(
                JSONObject([
                    ("personality", .string(result.personalityID)), ("name", .string(result.name)),
                    ("location", .string("\(result.location)")), ("passed", .bool(result.passed)),
                    (
                        "turns",
                        .array(
                            result.turns.map { turn in
                                .object(
                                    JSONObject([
                                        ("turn", .integer(Int64(turn.turn))), ("say", text(turn.say)),
                                        ("expected", text(turn.expected)), ("got", text(turn.got)),
                                        ("passed", .bool(turn.passed)),
                                    ]))
                            })
                    ),
                    ("failures", .array(result.failures.map { .string($0.report) })),
                ]))
        }
        return .object(
            JSONObject([
                ("passed", .integer(Int64(results.count - failed))), ("failed", .integer(Int64(failed))),
                ("tests", .array(tests)),
            ]))
    }
}
