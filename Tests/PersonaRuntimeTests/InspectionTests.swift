import ChatProtocol
import PersonaRuntime
import Testing

@Suite("Inspection")
struct InspectionTests {
    @Test("live sessions are listed oldest first and counted by kind and personality")
    func summaries() {
        let harness = HubHarness()
        let alice = harness.open()
        let bob = harness.open()
        let bot = harness.startDirect(alice, "snail")
        harness.send(alice, .message(session: bot, text: "count", id: "m1"))
        harness.send(bob, .start(StartRequest(mode: .random(RandomFilters()))))
        let list = harness.hub.sessionSummaries()
        #expect(list.map(\.id) == [bot, "s0-2"])
        #expect(
            list[0].kind == .bot && list[0].personality?.id == "snail" && list[0].streaming
                && list[0].seq == 2)
        #expect(list[1].phase == .matching && list[1].kind == nil && list[1].connection == bob)
        let counts = harness.hub.liveSessionCounts()
        #expect(counts.byKind[.bot] == 1 && counts.byKind[nil] == 1 && counts.byPersonality == ["snail": 1])
    }
}
