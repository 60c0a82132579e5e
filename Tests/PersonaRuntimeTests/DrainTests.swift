import ChatProtocol
import PersonaRuntime
import Policies
import Testing

@Suite("Drain")
struct DrainTests {
    @Test(
        "drain ends idle sessions at once, lets streaming replies finish, closes with 1001, then reports drained"
    )
    func drainWithinDeadline() {
        let harness = HubHarness()
        let idleClient = harness.open()
        let busyClient = harness.open()
        let idle = harness.startDirect(idleClient, "parrot")
        let busy = harness.startDirect(busyClient, "snail")
        harness.send(busyClient, .message(session: busy, text: "count", id: "m1"))
        harness.perform(harness.hub.drain(deadline: harness.clock.now().advanced(by: .seconds(5))))
        #expect(
            harness.take(idleClient).endings.map { "\($0.session):\($0.reason.rawValue)" } == [
                "\(idle):shutdown"
            ])
        #expect(harness.closed[idleClient] == 1001 && harness.closed[busyClient] == nil && !harness.drained)
        harness.send(idleClient, .start(StartRequest(mode: .direct(personality: "parrot"))))
        #expect(harness.take(idleClient).errors.map(\.code) == [.shuttingDown])
        harness.advance(by: .seconds(1))
        let frames = harness.take(busyClient)
        #expect(
            frames.replyText(session: busy) == "one two three" && frames.replyEnds.map(\.finish) == [.stop])
        #expect(
            frames.endings.map(\.reason) == [.shutdown] && frames.endings.first?.farewell == "Farewell...")
        #expect(harness.closed[busyClient] == 1001 && harness.drained && harness.hub.isDrained)
    }

    @Test("at the deadline, replies still streaming are cancelled and their sessions end with shutdown")
    func deadline() {
        let harness = HubHarness()
        let connection = harness.open()
        let session = harness.startDirect(connection, "snail")
        harness.send(connection, .message(session: session, text: "count", id: "m1"))
        harness.perform(harness.hub.drain(deadline: harness.clock.now().advanced(by: .milliseconds(250))))
        harness.advance(by: .seconds(1))
        let frames = harness.take(connection)
        #expect(frames.replyText(session: session) == "one two")
        #expect(frames.replyEnds.map(\.finish) == [.cancelled])
        #expect(frames.endings.map(\.reason) == [.shutdown] && harness.drained)
    }

    @Test("a client that disconnects while draining is not asked to close again")
    func disconnectWhileDraining() {
        let harness = HubHarness()
        let connection = harness.open()
        let session = harness.startDirect(connection, "snail")
        harness.send(connection, .message(session: session, text: "count", id: "m1"))
        harness.perform(harness.hub.drain(deadline: harness.clock.now().advanced(by: .seconds(5))))
        harness.perform(harness.hub.connectionClosed(connection))
        #expect(harness.closed[connection] == nil && harness.drained)
    }

    @Test("on shutdown both humans of a pair on one loop end with shutdown, neither with partner_left")
    func pairOnOneLoop() {
        let harness = HubHarness()
        let alice = harness.open()
        let bob = harness.open()
        harness.send(alice, .start(StartRequest(mode: .random(RandomFilters()))))
        harness.send(bob, .start(StartRequest(mode: .random(RandomFilters()))))
        #expect(harness.hub.counters.matched == 2)
        _ = harness.take(alice)
        _ = harness.take(bob)
        harness.perform(harness.hub.drain(deadline: harness.clock.now().advanced(by: .seconds(5))))
        #expect(harness.take(alice).endings.map(\.reason) == [.shutdown])
        #expect(harness.take(bob).endings.map(\.reason) == [.shutdown])
        #expect(harness.drained)
    }

    @Test(
        "on shutdown a pair split across loops ends with shutdown on both sides, even when the other loop has not begun draining"
    )
    func pairAcrossLoops() {
        let queue = MatchQueue()
        let one = HubHarness(configuration: ChatHubConfiguration(hubIndex: 1), matchQueue: queue)
        let two = HubHarness(configuration: ChatHubConfiguration(hubIndex: 2), matchQueue: queue)
        let alice = one.open()
        let bob = two.open()
        one.send(alice, .start(StartRequest(mode: .random(RandomFilters()))))
        two.send(bob, .start(StartRequest(mode: .random(RandomFilters()))))
        for item in two.mail { one.perform(one.hub.mailReceived(item.mail)) }
        two.mail = []
        _ = one.take(alice)
        _ = two.take(bob)
        one.perform(one.hub.drain(deadline: one.clock.now().advanced(by: .seconds(5))))
        for item in one.mail { two.perform(two.hub.mailReceived(item.mail)) }
        #expect(one.take(alice).endings.map(\.reason) == [.shutdown])
        #expect(two.take(bob).endings.map(\.reason) == [.shutdown])
    }
}
