import ChatProtocol
import Engines
import PersonaRuntime
import Personality
import Policies
import Testing
import YAML

/// A streaming engine the test drives by hand: each reply is a stream whose events the test
/// emits later, outside any hub input — the path an LLM or process engine takes.
final class DripController: @unchecked Sendable {
    var handler: ((TokenStreamEvent) -> Void)?
    var cancelled = 0

    func emit(_ event: TokenStreamEvent) { handler?(event) }
}

struct DripEngine: Engine {
    struct Decoder: EngineSectionDecoder {
        var engineName: String { "drip" }
        var requiresSection: Bool { false }
        func decodeSection(_ node: YAMLNode, context: inout DecodingContext) -> (any EngineSection)? { nil }
    }

    final class Stream: TokenStream {
        let controller: DripController
        init(controller: DripController) { self.controller = controller }
        func start(_ handler: @escaping (TokenStreamEvent) -> Void) { controller.handler = handler }
        func cancel() {
            controller.cancelled += 1
            controller.handler = nil
        }
    }

    let controller: DripController
    var name: String { "drip" }
    var sectionDecoder: any EngineSectionDecoder { Decoder() }
    func makeState(for personality: Personality, session: EngineSessionContext) -> any EngineSessionState {
        StatelessEngineState()
    }
    func respond(to request: EngineRequest, state: any EngineSessionState) -> EngineResponse {
        .stream(Stream(controller: controller))
    }
}

@Suite("Streaming engines")
struct StreamingEngineTests {
    static let personality = """
        id: dripper
        name: Dripper
        engine: drip
        limits: base
        """

    func harness() -> (HubHarness, DripController, ConnectionID, String) {
        let controller = DripController()
        let engines = EngineRegistry([ScriptEngine(), DripEngine(controller: controller)])
        let harness = HubHarness(files: Fixtures.files(extra: [Self.personality]), engines: engines)
        let connection = harness.open()
        let session = harness.startDirect(connection, "dripper")
        harness.send(connection, .message(session: session, text: "hi", id: "m1"))
        return (harness, controller, connection, session)
    }

    @Test(
        "late tokens reach the client through asyncActions, scrubbed even when an address is split across tokens"
    )
    func lateTokens() {
        let (harness, controller, connection, session) = harness()
        #expect(harness.take(connection).map(\.type) == ["ack", "reply_start"])
        for token in ["Mail ", "me at ", "bob@exa", "mple.com", " now"] { controller.emit(.token(token)) }
        controller.emit(.finished)
        let frames = harness.take(connection)
        #expect(frames.replyText(session: session) == "Mail me at [EMAIL] now")
        #expect(frames.replyEnds.map(\.finish) == [.stop])
        #expect(harness.hub.counters.redactionsOutbound[.email] == 1)
    }

    @Test("an engine that fails ends the reply with finish 'error'; cancel cancels the engine's stream")
    func failureAndCancel() {
        let (harness, controller, connection, session) = harness()
        controller.emit(.failed(.noEngineAnswered))
        #expect(harness.take(connection).replyEnds.map(\.finish) == [.error])
        harness.send(connection, .message(session: session, text: "again", id: "m2"))
        harness.send(connection, .cancel(session: session))
        #expect(controller.cancelled == 1)
        #expect(harness.take(connection).replyEnds.map(\.finish) == [.cancelled])
    }
}
