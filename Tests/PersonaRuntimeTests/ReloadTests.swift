import ChatProtocol
import PersonaRuntime
import Personality
import Policies
import Testing

@Suite("Reload")
struct ReloadTests {
    static let snailV2 = Fixtures.snail.replacing("reply: \"one two three\"", with: "reply: \"uno dos tres\"")

    @Test("a streaming reply finishes on the old version; the next reply and new sessions use the new one")
    func upgrade() {
        let harness = HubHarness()
        let connection = harness.open()
        let session = harness.startDirect(connection, "snail")
        harness.send(connection, .message(session: session, text: "count", id: "m1"))
        harness.advance(by: .milliseconds(150))
        var files = Fixtures.files()
        files[1] = SourceFile(name: "snail.yaml", text: Self.snailV2)
        let newSnapshot = HubHarness.snapshot(files)
        harness.perform(harness.hub.registryReplaced(newSnapshot))
        harness.advance(by: .seconds(1))
        let first = harness.take(connection)
        #expect(first.replyText(session: session, reply: 1) == "one two three")
        #expect(first.replyEnds.map(\.finish) == [.stop])
        harness.send(connection, .message(session: session, text: "count", id: "m2"))
        harness.advance(by: .seconds(1))
        #expect(harness.take(connection).replyText(session: session, reply: 2) == "uno dos tres")

        harness.send(connection, .start(StartRequest(mode: .direct(personality: "snail"))))
        guard case .sessionStarted(let start)? = harness.take(connection).first else {
            Issue.record("no session")
            return
        }
        #expect(start.personality?.version == newSnapshot.personality("snail")?.version.description)
    }

    @Test(
        "a removed personality's sessions end with personality_removed after their reply; idle ones at once")
    func removal() {
        let harness = HubHarness()
        let connection = harness.open()
        let streaming = harness.startDirect(connection, "snail")
        let idle = harness.startDirect(connection, "snail")
        harness.send(connection, .message(session: streaming, text: "count", id: "m1"))
        _ = harness.take(connection)
        var files = Fixtures.files()
        files.remove(at: 1)
        harness.perform(harness.hub.registryReplaced(HubHarness.snapshot(files)))
        #expect(
            harness.take(connection).endings.map { "\($0.session):\($0.reason.rawValue)" } == [
                "\(idle):personality_removed"
            ])
        harness.advance(by: .seconds(1))
        let rest = harness.take(connection)
        #expect(rest.replyEnds.map(\.finish) == [.stop])
        #expect(
            rest.endings.map { "\($0.session):\($0.reason.rawValue)" } == ["\(streaming):personality_removed"]
        )
        harness.send(connection, .start(StartRequest(mode: .direct(personality: "snail"))))
        #expect(harness.take(connection).errors.map(\.code) == [.unknownPersonality])
    }

    @Test("script variables carry over to the new version")
    func variablesCarryOver() {
        let harness = HubHarness(
            files: Fixtures.files(
                parrot: Fixtures.parrot.replacing(
                    "responses_per_session: 3", with: "responses_per_session: 9")))
        let connection = harness.open()
        let session = harness.startDirect(connection, "parrot")
        harness.send(connection, .message(session: session, text: "my name is Ann", id: "m1"))
        let changed = Fixtures.parrot.replacing("Your name is", with: "You are")
        harness.perform(harness.hub.registryReplaced(HubHarness.snapshot(Fixtures.files(parrot: changed))))
        _ = harness.take(connection)
        harness.send(connection, .message(session: session, text: "what is my name", id: "m2"))
        #expect(harness.take(connection).replyText(session: session) == "You are Ann.")
    }
}
