import ChatProtocol
import PersonaRuntime
import Policies
import Testing

@Suite("Streaming cadence")
struct StreamingTests {
    @Test("at 10 tokens per second, token k goes out exactly k × 100 ms after the reply starts")
    func cadence() {
        let harness = HubHarness()
        let connection = harness.open()
        let session = harness.startDirect(connection, "snail")
        harness.advance(by: .milliseconds(1_234))
        let start = harness.clock.now()
        harness.send(connection, .message(session: session, text: "count", id: "m1"))
        // The next timer is the cadence tick for the second token.
        #expect(harness.timers.values.filter { $0 > start }.min() == start.advanced(by: .milliseconds(100)))
        harness.advance(by: .seconds(1))
        let times = harness.log.filter { if case .token = $0.message { true } else { false } }.map {
            ($0.at.nanoseconds - start.nanoseconds) / 1_000_000
        }
        #expect(times == [0, 100, 200, 300, 400])
        let end = harness.log.first { if case .replyEnd = $0.message { true } else { false } }
        #expect(end.map { ($0.at.nanoseconds - start.nanoseconds) / 1_000_000 } == 400)
        #expect(harness.take(connection).replyText(session: session) == "one two three")
    }

    @Test("cancel stops the stream within one token and ends the reply 'cancelled'")
    func cancel() {
        let harness = HubHarness()
        let connection = harness.open()
        let session = harness.startDirect(connection, "snail")
        harness.send(connection, .message(session: session, text: "count", id: "m1"))
        harness.advance(by: .milliseconds(150))
        harness.send(connection, .cancel(session: session))
        harness.advance(by: .seconds(2))
        let frames = harness.take(connection)
        #expect(frames.replyText(session: session) == "one ")
        #expect(frames.replyEnds.map(\.finish) == [.cancelled] && frames.replyEnds.map(\.tokens) == [2])
        #expect(harness.transcripts.transcript(of: session).last?.text == "one ")
    }

    @Test(
        "messages sent during a reply are acked at once and answered in order; one past the queue bound is busy"
    )
    func queue() {
        let harness = HubHarness(configuration: ChatHubConfiguration(maxQueuedMessages: 2))
        let connection = harness.open()
        let session = harness.startDirect(connection, "snail")
        for id in ["m1", "m2", "m3", "m4"] {
            harness.send(connection, .message(session: session, text: id == "m2" ? "count" : "hi", id: id))
        }
        let early = harness.take(connection)
        #expect(
            early.compactMap { if case .ack(_, let id, let seq) = $0 { "\(id):\(seq)" } else { nil } } == [
                "m1:1", "m2:3", "m3:4",
            ])
        #expect(early.errors.map(\.code) == [.busy] && early.errors.first?.ref == "m4")
        harness.advance(by: .seconds(10))
        let all = early + harness.take(connection)
        let starts = all.compactMap {
            if case .replyStart(_, let reply, let seq, let ref) = $0 {
                "\(reply):\(seq):\(ref ?? "")"
            } else {
                nil
            }
        }
        #expect(starts == ["1:2:m1", "2:5:m2", "3:6:m3"])
        #expect(all.replyText(session: session, reply: 2) == "one two three")
        #expect(all.replyEnds.map(\.finish) == [.stop, .stop, .stop])
    }

    @Test(
        "a slow client's pacing pauses over the backlog bound, resumes below it, and is closed over the hard bound"
    )
    func backlog() {
        let harness = HubHarness(
            configuration: ChatHubConfiguration(
                pauseBacklogBytes: 1_000, resumeBacklogBytes: 100, maxBacklogBytes: 10_000))
        let slow = harness.open()
        let fast = harness.open()
        let slowSession = harness.startDirect(slow, "snail")
        let fastSession = harness.startDirect(fast, "snail")
        harness.send(slow, .message(session: slowSession, text: "count", id: "m1"))
        harness.send(fast, .message(session: fastSession, text: "count", id: "m1"))
        harness.perform(harness.hub.connectionBacklog(slow, bytes: 1_001))
        harness.advance(by: .seconds(5))
        #expect(harness.take(slow).replyText(session: slowSession) == "one")
        #expect(harness.take(fast).replyText(session: fastSession) == "one two three")
        harness.perform(harness.hub.connectionBacklog(slow, bytes: 100))
        harness.advance(by: .seconds(1))
        #expect(harness.take(slow).replyText(session: slowSession) == " two three")
        harness.perform(harness.hub.connectionBacklog(slow, bytes: 10_001))
        #expect(harness.closed[slow] == 1008 && harness.closed[fast] == nil)
        #expect(harness.hub.counters.slowConsumersPaused == 1)
        #expect(harness.hub.counters.slowConsumersClosed == 1)
    }
}
