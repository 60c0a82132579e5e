import ChatProtocol
import PersonaRuntime
import PersonaTestSupport
import Policies
import Testing

@Suite("Isolation")
struct IsolationTests {
    @Test("1,000 sessions interleaved on 100 connections: every reply belongs to its own conversation")
    func thousandSessions() {
        let harness = HubHarness(configuration: ChatHubConfiguration(maxSessionsPerConnection: 10))
        let connections = (0..<100).map { _ in harness.open() }
        var owner: [String: ConnectionID] = [:]
        var sessions: [String] = []
        for index in 0..<1_000 {
            let connection = connections[index % 100]
            let session = harness.startDirect(connection, "parrot")
            owner[session] = connection
            sessions.append(session)
        }
        // Interleave: everyone introduces themselves, then everyone asks, in a shuffled order.
        var generator = SeededGenerator(seed: 42)
        for (index, session) in sessions.enumerated().shuffled(using: &generator) {
            harness.send(
                owner[session]!, .message(session: session, text: "my name is N\(index)", id: "intro"))
        }
        for (index, session) in sessions.enumerated().shuffled(using: &generator) {
            harness.send(
                owner[session]!, .message(session: session, text: "what is my name", id: "ask-\(index)"))
        }
        for (connection, frames) in harness.received {
            for frame in frames {
                guard let session = frame.session else { continue }
                #expect(owner[session] == connection, "\(frame) went to \(connection)")
            }
        }
        let all = harness.received.values.flatMap { $0 }
        for (index, session) in sessions.enumerated() {
            #expect(all.replyText(session: session, reply: 2) == "Your name is N\(index).")
        }
    }
}
