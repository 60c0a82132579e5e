import ChatProtocol
import PersonaRuntime
import PersonaTestSupport
import Personality
import Policies
import Testing

@Suite("Hub fuzz")
struct HubFuzzTests {
    @Test(
        "seeded random client frames never crash the hub and never leak a frame across connections",
        arguments: [1, 2, 3] as [UInt64])
    func randomTraffic(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let harness = HubHarness(configuration: ChatHubConfiguration(maxQueuedMessages: 2, seed: seed))
        var connections = (0..<4).map { _ in harness.open() }
        let texts = [
            "hi", "count", "my name is Zed", "what is my name", "email", "bob@example.com", "",
            String(repeating: "z", count: 60),
        ]
        let personalities = ["parrot", "snail", "hanna", "ada", "ghost"]
        var known: [String] = ["s0-1", "s0-404", "x"]
        for step in 0..<3_000 {
            let connection = connections.randomElement(using: &generator)!
            let session = known.randomElement(using: &generator)!
            let message: ClientMessage
            switch Int.random(in: 0..<12, using: &generator) {
            case 0:
                message = .start(
                    StartRequest(mode: .direct(personality: personalities.randomElement(using: &generator)!)))
            case 1:
                message = .start(
                    StartRequest(
                        mode: .random(
                            RandomFilters(language: ["en", "de", nil].randomElement(using: &generator)!))))
            case 2, 3, 4, 5:
                message = .message(
                    session: session, text: texts.randomElement(using: &generator)!, id: "m\(step)")
            case 6: message = .typing(session: session, on: Bool.random(using: &generator))
            case 7: message = .cancel(session: session)
            case 8: message = .end(session: session)
            case 9: message = .next(session: session, want: Bool.random(using: &generator) ? .bot : .partner)
            case 10:
                harness.advance(by: .milliseconds(Int64.random(in: 0...3_000, using: &generator)))
                continue
            default:
                if Bool.random(using: &generator) {
                    harness.perform(harness.hub.connectionClosed(connection))
                    connections.removeAll { $0 == connection }
                    connections.append(harness.open())
                } else {
                    harness.sendText(
                        connection,
                        ["{", "[]", #"{"type":"message"}"#, "null"].randomElement(using: &generator)!)
                }
                continue
            }
            harness.send(connection, message)
            for frame in harness.received[connection] ?? [] {
                if let id = frame.session, !known.contains(id) { known.append(id) }
            }
        }
        harness.advance(by: .seconds(4_000))
        // Ownership: the first connection a session's frame went to owns every later frame of it
        // (errors echo whatever session the client named, so they are left out).
        var owner: [String: ConnectionID] = [:]
        var open: Set<String> = []
        for entry in harness.log {
            if case .error = entry.message { continue }
            guard let session = entry.message.session else { continue }
            let first = owner[session] ?? entry.connection
            owner[session] = first
            #expect(
                first == entry.connection,
                "seed \(seed): \(entry.message) went to \(entry.connection), owner \(first)")
            switch entry.message {
            case .replyStart(let session, let reply, _, _): open.insert("\(session)#\(reply)")
            case .token(let session, let reply, _):
                #expect(open.contains("\(session)#\(reply)"), "seed \(seed): token outside its reply")
            case .replyEnd(let session, let reply, _, _, _): open.remove("\(session)#\(reply)")
            default: break
            }
        }
        #expect(harness.hub.sessionCount <= 4 * 16)
    }
}
