import CLI
import Diagnostics
import Engines
import Foundation
import Personality

/// `persona import card FILE [-o out.yaml] [--id ID] [--upstream NAME]`: a character card
/// (JSON versions 1–3, or a PNG carrying one) becomes a personality answered by the `llm`
/// engine.
enum ImportCardCommand {
    /// The command's declaration.
    static let command = Command(
        name: "card",
        abstract: "Convert a character card (JSON or PNG) into an llm personality.",
        discussion: """
            Reads chara_card_v2 and chara_card_v3 JSON, version 1 cards, and PNG images carrying a \
            card in their 'ccv3' or 'chara' text chunk. The personality uses the llm engine with the \
            upstream named by --upstream (from Personalities/upstreams.yaml) and a script fallback. \
            Whatever the card holds that a personality cannot (lorebooks, extensions, creator notes) \
            is reported on stderr as FILE: warning: …; a broken card is an error with its location.
            """,
        arguments: [Argument("file", help: "The card: a .json or .png file.")],
        options: [
            .option(
                "output", short: "o", valueName: "path",
                help: "Write the YAML here instead of standard output."),
            .option("id", help: "The personality id (default: from the character's name)."),
            .option(
                "upstream", valueName: "name", help: "The upstream the llm section calls (default: local)."),
        ],
        run: run)

    /// Reads, converts, checks, writes, and reports warnings.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let path = try values.string("file")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("cannot read '\(path)'")
        }
        let card: CharacterCard
        do {
            card = try CharacterCardDecoder().decode(Array(data))
        } catch {
            throw CommandFailure("\(path): \(error)")
        }
        let upstream = values.stringIfPresent("upstream") ?? "local"
        let name = (path as NSString).lastPathComponent
        let output = CharacterCardImporter().convert(
            card, id: values.stringIfPresent("id"), upstream: upstream, source: name)
        let problems = check(output, upstream: upstream)
        guard problems.isEmpty else {
            throw CommandFailure(
                "the personality made from '\(path)' does not validate:\n" + problems.joined(separator: "\n"))
        }
        for warning in output.warnings { context.stderr.writeLine("\(path): warning: \(warning)") }
        try ImportCommand.write(
            output.text, to: values.stringIfPresent("output"),
            note: "personality '\(output.id)', \(output.warnings.count) warning(s)", context)
    }

    /// Errors the loader finds in the imported personality, next to an upstream of that name.
    static func check(_ output: CharacterCardImporter.Output, upstream: String) -> [String] {
        let upstreams =
            "upstreams:\n  - { name: \"\(upstream)\", base_url: http://127.0.0.1:1/v1, model: m }\n"
        let result = RegistryBuilder(catalog: BuiltInEngines.catalog).build([
            SourceFile(name: "upstreams.yaml", text: upstreams),
            SourceFile(name: "\(output.id).yaml", text: output.text),
        ])
        return result.diagnostics.filter { $0.severity == .error }.map(\.description)
    }
}
