import Personality

/// The `script` engine: RiveScript-grade rules written in YAML (see the format document and
/// ``ScriptBrain`` for the matching order). Answers synchronously, always.
public struct ScriptEngine: Engine {
    /// `script`.
    public let name = "script"

    /// Creates the engine.
    public init() {}

    /// Decodes, compiles and lints `script:` sections.
    public var sectionDecoder: any EngineSectionDecoder { ScriptSectionDecoder() }

    /// A fresh ``ScriptSessionState`` seeded from the session.
    public func makeState(for personality: Personality, session: EngineSessionContext)
        -> any EngineSessionState
    {
        ScriptSessionState(sessionID: session.sessionID, seed: session.seed)
    }

    /// The reply (synchronous fast path), or `.declined` when nothing matches and there is no
    /// fallback.
    public func respond(to request: EngineRequest, state: any EngineSessionState) -> EngineResponse {
        guard let text = reply(to: request.message, personality: request.personality, state: state) else {
            return .declined
        }
        return .reply(text)
    }

    /// The reply as text, or `nil` when the engine declines.
    public func reply(to message: String, personality: Personality, state: any EngineSessionState) -> String?
    {
        guard let section = personality.section(for: name, as: ScriptSection.self),
            let state = state as? ScriptSessionState
        else { return nil }
        var replier = ScriptReplier(section: section, state: state, botName: personality.name)
        return replier.reply(to: message)
    }

    /// Answers like ``reply(to:personality:state:)`` and says why: rule, topic, captures,
    /// conditions, redirects.
    public func explain(_ message: String, personality: Personality, state: ScriptSessionState)
        -> ScriptExplanation
    {
        guard let section = personality.section(for: name, as: ScriptSection.self) else {
            return ScriptExplanation(reply: nil, steps: [])
        }
        var replier = ScriptReplier(section: section, state: state, botName: personality.name, tracing: true)
        let reply = replier.reply(to: message)
        return ScriptExplanation(reply: reply, steps: replier.trace ?? [])
    }

    /// A greeting from the personality's `greeting:` list, picked with the session's generator
    /// and rendered as a template.
    public func greeting(for personality: Personality, state: any EngineSessionState) -> String? {
        pickAndRender(personality.greetings, personality: personality, state: state)
    }

    /// A farewell from the personality's `farewell:` list, picked and rendered like greetings.
    public func farewell(for personality: Personality, state: any EngineSessionState) -> String? {
        pickAndRender(personality.farewells, personality: personality, state: state)
    }

    private func pickAndRender(_ texts: [String], personality: Personality, state: any EngineSessionState)
        -> String?
    {
        guard !texts.isEmpty else { return nil }
        let section = personality.section(for: name, as: ScriptSection.self) ?? ScriptSection(topics: [:])
        let scriptState = state as? ScriptSessionState ?? ScriptSessionState()
        let text = texts[texts.count == 1 ? 0 : Int.random(in: 0..<texts.count, using: &scriptState.random)]
        guard let template = try? TemplateParser.parse(text) else { return text }
        var replier = ScriptReplier(section: section, state: scriptState, botName: personality.name)
        return replier.render(template)
    }
}
