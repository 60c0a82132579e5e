import PersonaTestSupport
import Reactor
import Testing
import WebSocket

@Suite("The server-wide memory budget for large inbound messages")
struct WebSocketMemoryBudgetTests {
    let t0 = MonotonicInstant.zero
    let limits = WebSocketConnection.Configuration(
        frameLimits: .init(maxFrameSize: 1 << 20, maxMessageSize: 1 << 20))

    /// A frame's header only (the payload is never sent): what an attacker's first bytes look like.
    func header(of frame: [UInt8], payloadLength: Int) -> [UInt8] {
        Array(frame.prefix(frame.count - payloadLength))
    }

    @Test("charges twice a large frame's size from its header and refuses one byte past the budget with 1009")
    func chargesFromHeader() {
        let budget = WebSocketMemoryBudget(limit: 600_000, threshold: 100_000)
        var first = WebSocketConnection.server(configuration: limits, memoryBudget: budget, now: t0)
        let fits = clientFrame(.binary, Array(repeating: 1, count: 200_000))
        // Only the header has arrived: the whole announced payload is charged already, twice
        // (the message, and an answer built while it is held).
        #expect(first.receive(header(of: fits, payloadLength: 200_000), now: t0).isEmpty)
        #expect(budget.inUse == 400_000)
        #expect(first.chargedMemory == 400_000)

        var second = WebSocketConnection.server(configuration: limits, memoryBudget: budget, now: t0)
        let exact = clientFrame(.binary, Array(repeating: 2, count: 100_000))
        #expect(second.receive(header(of: exact, payloadLength: 100_000), now: t0).isEmpty)
        #expect(budget.inUse == 600_000)

        var third = WebSocketConnection.server(configuration: limits, memoryBudget: budget, now: t0)
        let onePast = clientFrame(.binary, Array(repeating: 3, count: 100_000))
        let refused = third.receive(header(of: onePast, payloadLength: 100_000), now: t0)
        #expect(writtenCloseCode(refused) == .messageTooBig)
        #expect(closure(refused)?.cause == .protocolError(.memoryBudgetExhausted))
        #expect(budget.inUse == 600_000)

        // The second frame is delivered and handled; its answer is still queued: the charge
        // shrinks to the answer, and goes once the transport says it has left.
        let rest = second.receive(Array(exact.suffix(100_000)), now: t0)
        #expect(rest == [.deliver(.binary(Array(repeating: 2, count: 100_000)))])
        #expect(budget.inUse == 600_000)
        second.deliveredMessagesHandled(queuedBytes: 100_010)
        #expect(budget.inUse == 500_010)
        second.releaseDeliveredMemory()
        #expect(budget.inUse == 400_000)

        // Memory freed: the same frame now fits.
        var fourth = WebSocketConnection.server(configuration: limits, memoryBudget: budget, now: t0)
        #expect(fourth.receive(header(of: onePast, payloadLength: 100_000), now: t0).isEmpty)
        #expect(budget.inUse == 600_000)
        first.releaseAllMemory()
        fourth.releaseAllMemory()
        #expect(budget.inUse == 0)
    }

    @Test("never charges messages below the threshold")
    func smallMessagesFree() {
        let budget = WebSocketMemoryBudget(limit: 10, threshold: 1_000)
        var connection = WebSocketConnection.server(configuration: limits, memoryBudget: budget, now: t0)
        let payload = Array(repeating: UInt8(7), count: 999)
        #expect(connection.receive(clientFrame(.binary, payload), now: t0) == [.deliver(.binary(payload))])
        #expect(budget.inUse == 0)
    }

    @Test("charges a fragmented message once its fragments add up past the threshold")
    func chargesFragments() {
        let budget = WebSocketMemoryBudget(limit: 3_000, threshold: 1_000)
        var connection = WebSocketConnection.server(configuration: limits, memoryBudget: budget, now: t0)
        let piece = Array(repeating: UInt8(1), count: 600)
        #expect(connection.receive(clientFrame(.binary, piece, fin: false), now: t0).isEmpty)
        #expect(budget.inUse == 0)
        #expect(connection.receive(clientFrame(.continuation, piece, fin: false), now: t0).isEmpty)
        #expect(budget.inUse == 2_400)
        let refused = connection.receive(clientFrame(.continuation, piece), now: t0)
        #expect(writtenCloseCode(refused) == .messageTooBig)
        connection.releaseAllMemory()
        #expect(budget.inUse == 0)
    }

    @Test("sends the endpoint's notice before the close frame when a frame is over its limit")
    func failureNotice() {
        let small = WebSocketConnection.Configuration(frameLimits: .init(maxFrameSize: 100, maxMessageSize: 100))
        var connection = WebSocketConnection.server(
            configuration: small, failureNotice: { .text("refused: \($0.reason)") }, now: t0)
        let frame = clientFrame(.text, Array(repeating: UInt8(ascii: "a"), count: 101))
        let actions = connection.receive(header(of: frame, payloadLength: 101), now: t0)
        let frames = writtenFrames(actions)
        #expect(frames.map(\.opcode) == [.text, .close])
        #expect(frames.first?.payload == Array("refused: frame too large".utf8))
        #expect(writtenCloseCode(actions) == .messageTooBig)
    }

    @Test("the parser names a frame's announced length before its payload arrives, and gives back a large buffer")
    func parserAnnouncesLength() throws {
        var parser = WebSocketFrameParser(role: .server, configuration: .init(maxFrameSize: 1 << 20))
        let payload = Array(repeating: UInt8(9), count: 200_000)
        let frame = clientFrame(.binary, payload)
        parser.append(frame.prefix(frame.count - payload.count + 10))
        #expect(try parser.next() == nil)
        #expect(parser.arrivingPayloadLength == 200_000)
        parser.append(frame.dropFirst(frame.count - payload.count + 10))
        #expect(try parser.next()?.payload == payload)
        #expect(parser.arrivingPayloadLength == nil)
        #expect(parser.bufferedByteCount == 0)
    }
}
