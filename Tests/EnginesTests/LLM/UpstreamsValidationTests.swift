import Foundation
import Diagnostics
import Engines
import Personality
import Testing

@Suite("upstreams.yaml and the llm section, validated with locations")
struct UpstreamsValidationTests {
    static let personality = """
        id: bot
        name: Bot
        description: A bot.
        engine: [llm, script]
        llm:
          upstream: openai
          system: "You are {name}."
        script:
          rules:
            - match: "*"
              reply: "offline"
        """

    static func build(_ upstreams: String, personality: String = personality, environment: [String: String]? = nil)
        -> RegistryBuilder.Result
    {
        RegistryBuilder(catalog: EngineRegistry.builtIn.catalog, environment: environment).build([
            SourceFile(name: "P/upstreams.yaml", text: upstreams), SourceFile(name: "P/bot.yaml", text: personality),
        ])
    }

    static let valid = """
        upstreams:
          - name: openai
            base_url: https://api.openai.com/v1
            model: gpt-4o-mini
            api_key_env: OPENAI_API_KEY
        """

    @Test("a valid upstream builds a snapshot that knows it")
    func valid() throws {
        let result = Self.build(Self.valid)
        let upstream = try #require(result.snapshot?.upstreams["openai"])
        #expect(upstream.isTLS && upstream.host == "api.openai.com" && upstream.port == 443)
        #expect(upstream.basePath == "/v1" && upstream.timeouts.firstToken == .seconds(30) && upstream.retries == 2)
    }

    @Test("a literal key in YAML is an error at its line")
    func literalKey() {
        let result = Self.build(Self.valid + "\n    api_key: sk-live-123")
        let error = result.diagnostics.first { $0.code == "literal-api-key" }
        #expect(error?.severity == .error && error?.location?.line == 6, "\(result.diagnostics)")
        #expect(result.snapshot == nil)
    }

    @Test("a credential header is refused like a literal key")
    func credentialHeader() {
        let result = Self.build(Self.valid + "\n    headers: { Authorization: Bearer sk-1 }")
        #expect(result.diagnostics.contains { $0.code == "literal-api-key" && $0.severity == .error })
    }

    @Test("an unknown upstream name is an error with a suggestion")
    func unknownUpstream() {
        let result = Self.build(Self.valid, personality: Self.personality.replacingOccurrences(of: "openai", with: "opneai"))
        let error = result.diagnostics.first { $0.code == "unknown-upstream" }
        #expect(error?.message.contains("did you mean 'openai'?") == true && error?.location?.line == 6)
    }

    @Test("an unset key variable is a warning only when the environment is given")
    func unsetKey() {
        #expect(!Self.build(Self.valid).diagnostics.contains { $0.code == "unset-api-key" })
        let warned = Self.build(Self.valid, environment: [:])
        #expect(warned.diagnostics.contains { $0.code == "unset-api-key" && $0.severity == .warning })
        #expect(warned.snapshot != nil)
        let set = Self.build(Self.valid, environment: ["OPENAI_API_KEY": "sk"])
        #expect(!set.diagnostics.contains { $0.code == "unset-api-key" })
    }

    @Test(
        "limits are refused one past their edge",
        arguments: [
            ("max_concurrent: 100000", true), ("max_concurrent: 100001", false), ("retries: 10", true),
            ("retries: 11", false), ("timeouts: { total: 3600s }", true), ("timeouts: { total: 3601s }", false),
        ])
    func limits(line: String, accepted: Bool) {
        let result = Self.build(Self.valid + "\n    " + line)
        #expect((result.snapshot != nil) == accepted, "\(line): \(result.diagnostics)")
    }

    @Test("bad URLs, unknown keys and unknown template placeholders are reported")
    func otherErrors() {
        #expect(Self.build(Self.valid.replacingOccurrences(of: "https://", with: "ftp://")).snapshot == nil)
        let typo = Self.build(Self.valid + "\n    retires: 1")
        #expect(typo.diagnostics.contains { $0.message.contains("did you mean 'retries'?") })
        let placeholder = Self.build(
            Self.valid, personality: Self.personality.replacingOccurrences(of: "{name}", with: "{nmae}"))
        #expect(placeholder.diagnostics.contains { $0.code == "unknown-placeholder" && $0.message.contains("{name}") })
    }

    @Test("the prompt template fills the variables and keeps doubled braces literal")
    func template() {
        let text = PromptTemplate.render(
            "You are {name} ({language}) {{not a var}} on {date}.",
            values: ["name": "Muse", "language": "en", "date": "2026-12-05"])
        #expect(text == "You are Muse (en) {not a var} on 2026-12-05.")
    }
}
