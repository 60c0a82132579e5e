import CLI
import Foundation
import Policies

/// `persona scrub`: removes personal data and secrets from text on standard input, or reports
/// what it found in JSON Lines — the same scrubber the server runs on every message.
enum ScrubCommand {
    /// The command's declaration.
    static let command = Command(
        name: "scrub",
        abstract: "Scrub personal data and secrets from standard input.",
        discussion: """
            Reads text on standard input and writes it with e-mail addresses, phone numbers, \
            payment cards, IBANs, SSNs, IP and MAC addresses, credential URLs, API keys, JWTs, \
            private keys, stated passwords, secrets and crypto wallets replaced. With --jsonl, \
            reads lines {"id": ..., "text": ...} and writes one line per input, \
            {"id": ..., "entities": [{"type", "start", "end"}]}, offsets in Unicode scalars, \
            end exclusive; a bad line gets {"line": N, "error": ...} and the rest go on. \
            With --score FILE.jsonl, reads labelled messages {"id", "text", "entities": [{"type", \
            "start", "end"}], "decoys": [...]} from FILE and prints per-type precision, recall and \
            F1, full-span recall, false alarms on clean messages, and every miss and false alarm.
            """,
        options: [
            .option(
                "score", valueName: "file.jsonl",
                help: "Score the scrubber on a labelled JSON Lines file instead of reading standard input."),
            .option(
                "types", valueName: "list",
                help:
                    "Comma-separated types to find, or 'all' (default: every type but url; with --score, plus the types the file labels)."
            ),
            .flag("summary", help: "With --score, print the table without the list of misses and false alarms."),
            .flag("jsonl", help: "Read and write JSON Lines; report entities instead of scrubbing."),
            .option(
                "replace", valueName: "template", default: "[{type}]",
                help: "What a finding becomes; {type} is its uppercase type name."),
            .flag(
                "placeholders", help: "Replace with numbered placeholders (<EMAIL_1>), stable within the run."
            ),
        ],
        run: run)

    /// Runs the scrubber over standard input.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        var scrubber = ScrubberConfiguration()
        scrubber.replacement =
            values.flag("placeholders")
            ? .placeholder : .label(template: try values.string("replace"))
        if let path = values.stringIfPresent("score") {
            return try score(path: path, types: values.stringIfPresent("types"), summary: values.flag("summary"),
                configuration: scrubber, context)
        }
        if let requested = values.stringIfPresent("types") {
            do {
                scrubber.types = try ScrubScore.types(requested: requested, labelled: [])
            } catch {
                throw CommandFailure(error.problem)
            }
        }
        let run = ScrubRun(
            configuration: ScrubRun.Configuration(jsonLines: values.flag("jsonl"), scrubber: scrubber))
        let input = FileHandle.standardInput
        let summary: ScrubRun.Summary
        do {
            summary = try run.run(
                read: {
                    // `availableData` returns as soon as anything arrives (not after 64 KiB like
                    // `readData(ofLength:)`), so an interactive caller gets each answer before
                    // sending its next line.
                    let data = input.availableData
                    return data.isEmpty ? nil : [UInt8](data)
                },
                write: { context.stdout.write($0) })
        } catch let error as ScrubError {
            throw CommandFailure("scrub refused the input: \(error)")
        }
        if summary.failedLines > 0 {
            throw CommandFailure(
                "\(summary.failedLines) line(s) could not be scrubbed; see the error lines in the output")
        }
    }

    /// `--score`: reads the labelled file, scores and prints the scorecard.
    static func score(
        path: String, types: String?, summary: Bool, configuration: ScrubberConfiguration,
        _ context: CommandContext
    ) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("cannot read '\(path)'")
        }
        var configuration = configuration
        let messages: [LabelledMessage]
        do {
            messages = try ScrubScore.messages(in: [UInt8](data))
            configuration.types = try ScrubScore.types(requested: types, labelled: messages)
        } catch {
            throw CommandFailure(error.line > 0 ? "\(path): \(error)" : error.problem)
        }
        let scorer = ScrubScore(configuration: configuration, listMistakes: !summary)
        context.stdout.write(scorer.render(scorer.score(messages), source: path))
    }
}
