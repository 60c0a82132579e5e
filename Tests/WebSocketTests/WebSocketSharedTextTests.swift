import PersonaTestSupport
import Reactor
import Testing
import WebSocket

/// What a server machine does with `chunks`, read one chunk per `receive`: with `sharingText`,
/// each shared text is turned into the `.deliver(.text)` the plain path gives (using the slice
/// before the next receive, as a transport must); `shared` counts them.
private func run(
    _ chunks: [[UInt8]], sharingText: Bool, budget: WebSocketMemoryBudget? = nil
) -> (actions: [WebSocketAction], shared: Int) {
    var connection = WebSocketConnection.server(memoryBudget: budget, now: .zero)
    var all: [WebSocketAction] = []
    var shared = 0
    for chunk in chunks {
        var actions: [WebSocketAction] = []
        chunk.withUnsafeBytes { connection.receive($0, now: .zero, into: &actions, sharingText: sharingText) }
        for action in actions {
            guard case .deliverText(let utf8) = action else {
                all.append(action)
                continue
            }
            shared += 1
            all.append(.deliver(.text(String(decoding: utf8, as: UTF8.self))))
        }
    }
    return (all, shared)
}

@Suite("WebSocket connection: text delivered as the parser's own bytes")
struct WebSocketSharedTextTests {
    @Test("a text frame arriving whole in one read is delivered as its bytes, equal to the String path")
    func wholeFrame() {
        let text = "42[\"message\",\"héllo, wörld €\"]"
        let shared = run([clientText(text)], sharingText: true)
        #expect(shared.shared == 1)
        #expect(shared.actions == [.deliver(.text(text))])
        #expect(shared.actions == run([clientText(text)], sharingText: false).actions)
    }

    @Test("a binary frame, a fragmented text and a text frame followed by more bytes are delivered as before")
    func otherFramesUnchanged() {
        let inputs: [[UInt8]] = [
            clientFrame(.binary, [1, 2, 3]),
            clientText("par", fin: false) + clientFrame(.continuation, Array("ts".utf8)),
            clientText("first") + clientFrame(.ping, [7]),
            clientText("first") + clientText("second"),
        ]
        for input in inputs {
            let shared = run([input], sharingText: true)
            let plain = run([input], sharingText: false)
            #expect(shared.actions == plain.actions, "input \(input)")
        }
        // Only the last frame of a read can share it: the second of two texts does.
        #expect(run([clientText("first") + clientText("second")], sharingText: true).shared == 1)
        #expect(run([clientFrame(.binary, [1])], sharingText: true).shared == 0)
    }

    @Test("refuses what the String path refuses: invalid or truncated UTF-8, text inside a fragmented message, a message over the budget")
    func failuresUnchanged() {
        let inputs: [[UInt8]] = [
            clientFrame(.text, [0x61, 0xFF]),
            clientFrame(.text, [0x61, 0xC3]),
            clientFrame(.binary, [1], fin: false) + clientText("x"),
        ]
        for input in inputs {
            let shared = run([input], sharingText: true)
            #expect(shared.shared == 0)
            #expect(shared.actions == run([input], sharingText: false).actions, "input \(input)")
            #expect(closure(shared.actions) != nil, "input \(input)")
        }
        let large = clientText(String(repeating: "a", count: 2_000))
        let sharedBudget = WebSocketMemoryBudget(limit: 1_000, threshold: 100)
        let plainBudget = WebSocketMemoryBudget(limit: 1_000, threshold: 100)
        let shared = run([large], sharingText: true, budget: sharedBudget)
        #expect(closure(shared.actions)?.cause == .protocolError(.memoryBudgetExhausted))
        #expect(shared.actions == run([large], sharingText: false, budget: plainBudget).actions)
    }

    @Test("acts exactly as the String path whole, byte by byte and split at every index")
    func dripFeed() {
        // The conversation ends with a close; the text before it ends a read when fed by bytes.
        let input = clientText("alone") + WebSocketConnectionTests.conversation
        for chunks in DripFeed.splits(of: input) {
            #expect(run(chunks, sharingText: true).actions == run(chunks, sharingText: false).actions)
        }
        #expect(run([input], sharingText: true).shared == 0)
        #expect(run(input.map { [$0] }, sharingText: true).shared == 2)
    }

    @Test("acts exactly as the String path on mutated input in random chunks (seeded)")
    func fuzz() {
        var generator = SeededGenerator(seed: 19)
        let base = clientText("alone") + WebSocketConnectionTests.conversation
        for _ in 0..<500 {
            var input = base
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let at = Int.random(in: 0..<input.count, using: &generator)
                input[at] = UInt8.random(in: 0...255, using: &generator)
            }
            let chunks = DripFeed.randomChunks(of: input, maxChunk: 13, using: &generator)
            #expect(
                run(chunks, sharingText: true).actions == run(chunks, sharingText: false).actions,
                "seed \(generator.seed) input \(input)")
        }
    }
}
