import Diagnostics
import Engines
import Personality
import YAML

/// Loads a personality from YAML text the way the registry does, and talks to it.
final class ScriptHarness {
    let personality: Personality?
    let diagnostics: [Diagnostic]
    let state: ScriptSessionState
    let engine = ScriptEngine()

    /// `script` is the body of the `script:` section (unindented); `header` adds top-level keys.
    convenience init(script: String, header: String = "", seed: UInt64 = 0) {
        let indented = script.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
            .joined(separator: "\n")
        self.init(
            yaml:
                "id: test-bot\nname: Testy\ndescription: A test.\nengine: script\n\(header)script:\n\(indented)\n",
            seed: seed)
    }

    init(yaml: String, file: String = "test.yaml", seed: UInt64 = 0) {
        var context = DecodingContext(file: file)
        var loaded: Personality?
        do {
            let root = try YAMLParser().parse(Array(yaml.utf8), file: file)
            loaded = PersonalityDecoder(catalog: EngineRegistry.builtIn.catalog)
                .decode(root, version: PersonalityVersion(of: yaml.utf8), context: &context)
        } catch {
            context.append(contentsOf: [error.diagnostic])
        }
        diagnostics = context.diagnostics
        personality = context.hasErrors ? nil : loaded
        state = ScriptSessionState(sessionID: "session-1", seed: seed)
    }

    var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// The reply, `nil` when the engine declines, or a description of why loading failed.
    @discardableResult
    func say(_ text: String) -> String? {
        guard let personality else { return "LOAD FAILED: \(diagnostics)" }
        return engine.reply(to: text, personality: personality, state: state)
    }

    /// Replies to several messages in turn; the last one.
    func conversation(_ messages: [String]) -> [String?] {
        messages.map { say($0) }
    }

    func explain(_ text: String) -> ScriptExplanation? {
        guard let personality else { return nil }
        return engine.explain(text, personality: personality, state: state)
    }

    var section: ScriptSection? { personality?.section(for: "script", as: ScriptSection.self) }
}
