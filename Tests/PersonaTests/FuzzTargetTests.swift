import Foundation
import PersonaTestSupport
import Testing

/// Short, bounded runs of the libFuzzer targets in `Tests/Fuzz` (README "Fuzzing"), each
/// starting from its committed corpus. The targets come from a separate instrumented build
/// (`Tests/Fuzz/fuzz.sh build`, into `.build-fuzz`), which `.ci/run` makes before the tests and
/// marks as required with `PERSONA_REQUIRE_FUZZ=1`; elsewhere the runs are skipped when that
/// build is absent, so the README's test command does not need it.
@Suite("Fuzz targets")
struct FuzzTargetTests {
    static let root = PersonaBinary.packageRoot
    static let corpora = root.appendingPathComponent("Tests/Fuzz/Corpus")
    static let binaries = root.appendingPathComponent(".build-fuzz/debug")

    /// One target per corpus folder: a target without seeds cannot be added unnoticed.
    static let targets: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: corpora.path)) ?? []).sorted()

    static var required: Bool { ProcessInfo.processInfo.environment["PERSONA_REQUIRE_FUZZ"] == "1" }
    static var built: Bool {
        !targets.isEmpty
            && targets.allSatisfy {
                FileManager.default.isExecutableFile(atPath: binaries.appendingPathComponent($0).path)
            }
    }

    @Test("every parser has a fuzz target with a seed corpus")
    func targetsExist() throws {
        let expected = [
            "ChatProtocolFuzz", "HTTPRequestFuzz", "HTTPResponseFuzz", "JSONFuzz", "PersonalityYAMLFuzz",
            "ProxyProtocolFuzz", "RESPFuzz", "TemplateFuzz", "TriggerFuzz", "UTF8Fuzz", "WebSocketFrameFuzz",
        ]
        #expect(Set(expected).isSubset(of: Set(Self.targets)), "corpora: \(Self.targets)")
        let script = try String(
            contentsOf: Self.root.appendingPathComponent("Tests/Fuzz/fuzz.sh"), encoding: .utf8)
        let manifest = try String(
            contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        for target in Self.targets {
            #expect(script.contains(target), "fuzz.sh does not run \(target)")
            #expect(manifest.contains("\"\(target)\""), "Package.swift does not build \(target)")
            let seeds = try FileManager.default.contentsOfDirectory(
                atPath: Self.corpora.appendingPathComponent(target).path)
            #expect(seeds.count >= 2, "\(target) has \(seeds.count) seeds")
        }
    }

    @Test(
        "each fuzz target runs two seconds from its corpus without a crash, hang or broken property",
        .enabled(if: built || required, "fuzz targets not built; run Tests/Fuzz/fuzz.sh build"),
        arguments: targets)
    func shortRun(target: String) throws {
        let binary = Self.binaries.appendingPathComponent(target)
        try #require(
            FileManager.default.isExecutableFile(atPath: binary.path),
            "\(binary.path) is missing; run Tests/Fuzz/fuzz.sh build")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent(
            "persona-fuzz-\(target)-\(UUID())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let seeds = Self.corpora.appendingPathComponent(target)
        let seedCount = try FileManager.default.contentsOfDirectory(atPath: seeds.path).count

        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        let result = try ProcessResult.run(
            binary,
            [
                "-max_total_time=2", "-timeout=10", "-rss_limit_mb=2048", "-print_final_stats=1",
                "-artifact_prefix=\(work.path)/", work.path, seeds.path,
            ],
            environment: environment)
        let log = result.stderr.split(separator: "\n").suffix(15).joined(separator: "\n")
        #expect(result.status == 0, "\(target) failed:\n\(log)")
        let executions = result.stderr.split(separator: "\n")
            .first { $0.hasPrefix("stat::number_of_executed_units:") }
            .flatMap { Int($0.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) }
        // More executions than seeds: the fuzzer mutated inputs, not only replayed the corpus.
        #expect((executions ?? 0) > seedCount, "\(target) ran \(executions ?? 0) inputs:\n\(log)")
    }
}
