import CLI
import Diagnostics
import Foundation
import JSON
import Personality

/// `persona bench registry`: generates N realistic personalities into a temporary folder and
/// measures reading, parsing, decoding and validating all of them — exactly what `persona
/// validate` and a reload do — reporting the median and the spread over several runs.
enum BenchRegistryCommand {
    /// The command's declaration.
    static let command = Command(
        name: "registry",
        abstract: "Time loading and validating N generated personalities.",
        options: [
            .option("count", type: .int(1...100_000), default: "1000", help: "How many personalities to generate."),
            .option("rules", type: .int(1...1_000), default: "12", help: "Script rules per personality."),
            .option("runs", type: .int(1...100), default: "7", help: "How many timed runs (after one warm-up)."),
            .flag("json", help: "Print a JSON summary instead of text."),
        ],
        run: run)

    /// Generates, times, prints.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let count = try values.int("count")
        let rules = try values.int("rules")
        let runs = try values.int("runs")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("persona-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var bytes = 0
        for file in RegistryWorkload.files(count: count, rulesPerPersonality: rules) {
            let url = directory.appendingPathComponent(file.name)
            try Data(file.bytes).write(to: url)
            bytes += file.bytes.count
        }

        let builder = RegistryBuilder(catalog: BuiltInEngines.catalog)
        let clock = ContinuousClock()
        var timings: [Duration] = []
        var cpuTimes: [Double] = []
        var loaded = 0
        for run in 0...runs {
            let cpuStart = ProcessCPUTime.milliseconds()
            let start = clock.now
            let result = builder.build(paths: [directory.path])
            let elapsed = clock.now - start
            if run > 0 { cpuTimes.append(ProcessCPUTime.milliseconds() - cpuStart) }
            guard let snapshot = result.snapshot else {
                let first = result.diagnostics.first.map(\.description) ?? "unknown problem"
                throw CommandFailure("generated personalities failed to validate: \(first)")
            }
            loaded = snapshot.personalities.count
            if run > 0 { timings.append(elapsed) }
        }
        timings.sort()
        cpuTimes.sort()
        let median = timings[timings.count / 2]
        let cpuMedian = cpuTimes[cpuTimes.count / 2]
        let milliseconds = { (duration: Duration) -> Double in
            Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
        }
        if values.flag("json") {
            let summary: JSONValue = .object([
                "personalities": .integer(Int64(loaded)), "files": .integer(Int64(count + 2)),
                "bytes": .integer(Int64(bytes)), "runs": .integer(Int64(runs)),
                "median_ms": .double(milliseconds(median)), "min_ms": .double(milliseconds(timings[0])),
                "max_ms": .double(milliseconds(timings[timings.count - 1])),
                "cpu_median_ms": .double(cpuMedian),
            ])
            context.stdout.writeLine(summary.serialized())
        } else {
            context.stdout.writeLine(
                "loaded and validated \(loaded) personalities (\(count + 2) files, \(bytes / 1024) KiB) in "
                    + String(format: "%.1f ms median (min %.1f, max %.1f) over %d runs; %.1f ms of CPU per load (all cores)", milliseconds(median), milliseconds(timings[0]), milliseconds(timings[timings.count - 1]), runs, cpuMedian))
        }
    }
}
