import Diagnostics
import Engines
import Personality
import Testing
import YAML

/// An engine that answers every message by echoing it, or declines a given word.
struct EchoEngine: Engine {
    let name: String
    var declines: String = ""
    var streams = false
    var sectionDecoder: any EngineSectionDecoder { NoSection(engineName: name) }

    struct NoSection: EngineSectionDecoder {
        let engineName: String
        var requiresSection: Bool { false }
        func decodeSection(_ node: YAMLNode, context: inout DecodingContext) -> (any EngineSection)? { nil }
    }

    func makeState(for personality: Personality, session: EngineSessionContext) -> any EngineSessionState {
        StatelessEngineState()
    }

    func respond(to request: EngineRequest, state: any EngineSessionState) -> EngineResponse {
        if request.message == declines { return streams ? .stream(DeclinedStream()) : .declined }
        let text = "\(name): \(request.message)"
        return streams ? .stream(ReplyTokenStream(text)) : .reply(text)
    }
}

/// A stream that declines as soon as it starts.
final class DeclinedStream: TokenStream {
    func start(_ handler: @escaping (TokenStreamEvent) -> Void) { handler(.declined) }
    func cancel() {}
}

@Suite("Engine chain")
struct EngineChainTests {
    static func personality(engines: [String]) -> Personality {
        let location = SourceLocation(file: "x.yaml", line: 1, column: 1)
        return Personality(
            id: "x", name: "X", engines: engines,
            source: PersonalitySource(file: "x.yaml", location: location),
            version: PersonalityVersion(0))
    }

    static func collect(_ response: EngineResponse) -> String? {
        switch response {
        case .reply(let text): return text
        case .declined: return nil
        case .stream(let stream):
            var text = ""
            var declined = false
            stream.start { event in
                if case .token(let token) = event { text += token }
                if event == .declined { declined = true }
            }
            return declined ? nil : text
        }
    }

    @Test("the first engine that answers wins; a declining engine passes to the next")
    func firstAnswers() throws {
        let registry = EngineRegistry([EchoEngine(name: "one", declines: "skip"), EchoEngine(name: "two")])
        let chain = try registry.chain(
            for: Self.personality(engines: ["one", "two"]),
            session: EngineSessionContext(sessionID: "s", seed: 1))
        #expect(Self.collect(chain.respond(to: "hi")) == "one: hi")
        #expect(Self.collect(chain.respond(to: "skip")) == "two: skip")
    }

    @Test("a stream that declines before any token falls through to the next engine")
    func streamDeclines() throws {
        let registry = EngineRegistry([
            EchoEngine(name: "one", declines: "skip", streams: true), EchoEngine(name: "two", streams: true),
        ])
        let chain = try registry.chain(
            for: Self.personality(engines: ["one", "two"]),
            session: EngineSessionContext(sessionID: "s", seed: 1))
        #expect(Self.collect(chain.respond(to: "hi")) == "one: hi")
        #expect(Self.collect(chain.respond(to: "skip")) == "two: skip")
    }

    @Test("when every engine declines, the chain declines")
    func allDecline() throws {
        let registry = EngineRegistry([EchoEngine(name: "one", declines: "skip")])
        let chain = try registry.chain(
            for: Self.personality(engines: ["one"]), session: EngineSessionContext(sessionID: "s", seed: 1))
        #expect(Self.collect(chain.respond(to: "skip")) == nil)
    }

    @Test("an unknown engine name is a typed error")
    func unknown() {
        #expect(throws: EngineError.unknownEngine("nope")) {
            _ = try EngineRegistry.builtIn.chain(
                for: Self.personality(engines: ["nope"]),
                session: EngineSessionContext(sessionID: "s", seed: 1))
        }
    }

    @Test("the built-in registry provides the script, llm and process engines' section decoders to the catalog")
    func catalog() {
        #expect(EngineRegistry.builtIn.catalog.names == ["llm", "process", "script"])
        #expect(EngineRegistry.builtIn.names == ["llm", "process", "script"])
    }

    @Test("a cancelled reply stream delivers nothing more")
    func cancel() {
        let stream = ReplyTokenStream("one two three")
        var tokens: [String] = []
        stream.start { event in
            if case .token(let token) = event {
                tokens.append(token)
                if tokens.count == 2 { stream.cancel() }
            }
        }
        #expect(tokens == ["one", " "])
    }
}
