import CLI
import Diagnostics
import Engines
import Foundation
import Personality
import YAML

/// `persona bench script`: how long the script engine takes to choose a reply among many rules.
///
/// Generates a personality with `--rules` rules (``ScriptWorkload``), loads it through the real
/// YAML parser and decoder, then times each reply — normalisation, lookup, template, history —
/// over `--inputs` messages (three in four hit a rule, one in four falls back). Build with
/// `-c release` for meaningful numbers.
enum BenchScriptCommand {
    /// The command's declaration.
    static let command = Command(
        name: "script",
        abstract: "Time the script engine choosing replies among N generated rules.",
        options: [
            .option(
                "rules", type: .int(1...200_000), default: "10000",
                help: "Rules in the generated personality."),
            .option("inputs", type: .int(1...1_000_000), default: "20000", help: "Messages to answer."),
            .option("seed", type: .int(0...Int.max), default: "1", help: "Seed of the generated workload."),
        ],
        run: run)

    /// Generates, loads, times and prints.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let workload = ScriptWorkload(
            rules: try values.int("rules"), inputs: try values.int("inputs"),
            seed: UInt64(try values.int("seed")))
        let clock = ContinuousClock()
        let loadStart = clock.now
        var decoding = DecodingContext(file: "bench-script.yaml")
        let root: YAMLNode
        do {
            root = try YAMLParser(limits: YAMLLimits(maxDocumentBytes: 64 << 20, maxNodes: 10_000_000)).parse(
                Array(workload.yaml.utf8), file: "bench-script.yaml")
        } catch {
            throw CommandFailure("generated personality does not parse: \(error.diagnostic)")
        }
        let decoded = PersonalityDecoder(catalog: BuiltInEngines.catalog).decode(
            root, version: PersonalityVersion(0), context: &decoding)
        guard let personality = decoded, !decoding.hasErrors else {
            throw CommandFailure(
                "generated personality does not decode: \(decoding.diagnostics.first.map(\.description) ?? "?")"
            )
        }
        let loadTime = clock.now - loadStart

        let engine = ScriptEngine()
        let state = ScriptSessionState(sessionID: "bench", seed: 1)
        for input in workload.inputs.prefix(500) {
            _ = engine.reply(to: input, personality: personality, state: state)
        }
        var timings: [Duration] = []
        timings.reserveCapacity(workload.inputs.count)
        var fallbacks = 0
        for input in workload.inputs {
            let start = clock.now
            let reply = engine.reply(to: input, personality: personality, state: state)
            timings.append(clock.now - start)
            if reply == "No idea." { fallbacks += 1 }
        }
        timings.sort()
        func microseconds(_ duration: Duration) -> String {
            let value =
                Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
            return String(format: "%.2f µs", value)
        }
        context.stdout.writeLine(
            "rules: \(try values.int("rules")), inputs: \(workload.inputs.count) (\(fallbacks) fell back)")
        context.stdout.writeLine("load (parse + decode + compile + lint): \(microseconds(loadTime))")
        context.stdout.writeLine("reply median: \(microseconds(timings[timings.count / 2]))")
        context.stdout.writeLine(
            "reply p99:    \(microseconds(timings[min(timings.count - 1, timings.count * 99 / 100)]))")
        context.stdout.writeLine("reply max:    \(microseconds(timings[timings.count - 1]))")
    }
}
