import CLI
import Diagnostics
import Engines
import Personality

/// `persona explain`: says why a personality answers a message the way it does — the rule
/// (file:line), topic, captures, conditions that held and redirects followed.
enum ExplainCommand {
    /// The command's declaration.
    static let command = Command(
        name: "explain",
        abstract: "Show why a personality answers a message the way it does.",
        discussion: """
            Earlier messages given with --say are sent first, in order, so rules that depend on \
            the conversation (after:, topics, variables) can be explained too.
            """,
        arguments: [
            Argument("personality", help: "The personality's id."),
            Argument("message", help: "What the user says."),
        ],
        options: [
            .option(
                "personalities", valueName: "path", default: "Personalities", environment: "PERSONA_PERSONALITIES",
                help: "Where the personalities are (as for serve)."),
            .option("dir", valueName: "path", hidden: true, help: "The former name of --personalities."),
            .option(
                "say", valueName: "message", repeatable: true,
                help: "An earlier message, sent before MESSAGE."),
            .option("seed", type: .integer(0...Int.max), default: "0", help: "The session's random seed."),
        ],
        run: run)

    /// Loads the personality, replays the earlier messages and explains the last one.
    static func run(_ values: ParsedValues, _ context: CommandContext) async throws {
        let id = try values.string("personality")
        let registry = EngineRegistry.builtIn
        let directory = try values.stringIfPresent("dir") ?? values.string("personalities")
        let build = RegistryBuilder(catalog: registry.catalog).build(paths: [directory])
        for diagnostic in build.diagnostics where diagnostic.severity == .error {
            context.stderr.writeLine(diagnostic.description)
        }
        guard let personality = build.personalities.first(where: { $0.id == id }) else {
            var message = "no personality '\(id)' in \(directory)"
            if let near = Suggestion.closest(to: id, among: build.personalities.map(\.id)) {
                message += "; did you mean '\(near)'?"
            }
            throw CommandFailure(message)
        }
        guard personality.engines.contains("script"),
            personality.section(for: "script", as: ScriptSection.self) != nil
        else {
            throw CommandFailure(
                "personality '\(id)' does not use the script engine; only script replies can be explained")
        }
        let engine = ScriptEngine()
        let state = ScriptSessionState(sessionID: "explain", seed: UInt64(try values.int("seed")))
        context.stdout.writeLine("\(personality.id) (\(personality.source.file))")
        for earlier in values.strings("say") {
            let reply = engine.reply(to: earlier, personality: personality, state: state)
            context.stdout.writeLine("  > \(earlier)")
            context.stdout.writeLine("  < \(reply ?? "(no reply)")")
        }
        let message = try values.string("message")
        context.stdout.writeLine("explain \"\(message)\":")
        context.stdout.writeLine(engine.explain(message, personality: personality, state: state).description)
    }
}
