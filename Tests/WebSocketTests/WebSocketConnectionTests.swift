import PersonaTestSupport
import Reactor
import Testing
import WebSocket

typealias ServerConnection = WebSocketConnection

/// The frames a server wrote, decoded as the client would see them.
func writtenFrames(_ actions: [WebSocketAction]) -> [WebSocketFrame] {
    var parser = WebSocketFrameParser(role: .client)
    var frames: [WebSocketFrame] = []
    for case .write(let bytes) in actions {
        parser.append(bytes)
        while let frame = try? parser.next() { frames.append(frame) }
    }
    return frames
}

/// The close code of the first close frame written, if any.
func writtenCloseCode(_ actions: [WebSocketAction]) -> WebSocketCloseCode? {
    guard let close = writtenFrames(actions).first(where: { $0.opcode == .close }), close.payload.count >= 2
    else { return nil }
    return WebSocketCloseCode(rawValue: UInt16(close.payload[0]) << 8 | UInt16(close.payload[1]))
}

func closure(_ actions: [WebSocketAction]) -> WebSocketClosure? {
    for case .closeTransport(let closure) in actions { return closure }
    return nil
}

func closePayload(_ code: UInt16, _ reason: [UInt8] = []) -> [UInt8] {
    [UInt8(code >> 8), UInt8(code & 0xFF)] + reason
}

@Suite("WebSocket connection state machine (RFC 6455 §5.4, §5.5, §7)")
struct WebSocketConnectionTests {
    let t0 = MonotonicInstant.zero

    @Test("delivers a single-frame text message")
    func deliversText() {
        var connection = ServerConnection.server(now: t0)
        #expect(connection.receive(clientText("hello"), now: t0) == [.deliver(.text("hello"))])
    }

    @Test("sends pre-encoded UTF-8 text as the same frame a String would give, and nothing once closed")
    func sendsTextFromBytes() {
        var connection = ServerConnection.server(now: t0)
        let text = "{\"type\":\"token\",\"delta\":\"grüß\"}"
        #expect(connection.send(textUTF8: Array(text.utf8)) == connection.send(.text(text)))
        #expect(writtenFrames(connection.send(textUTF8: Array(text.utf8))) == [WebSocketFrame(opcode: .text, payload: Array(text.utf8))])
        _ = connection.close(now: t0)
        _ = connection.receive(clientFrame(.close, closePayload(1000)), now: t0)
        #expect(connection.send(textUTF8: Array(text.utf8)).isEmpty)
    }

    @Test("reassembles a fragmented message with a ping interleaved, answering the ping first")
    func reassembles() {
        var connection = ServerConnection.server(now: t0)
        let input =
            clientFrame(.binary, [1, 2], fin: false) + clientFrame(.ping, [9])
            + clientFrame(.continuation, [3], fin: false)
            + clientFrame(.continuation, [4])
        let actions = connection.receive(input, now: t0)
        #expect(actions.count == 2)
        #expect(writtenFrames(Array(actions.prefix(1))) == [WebSocketFrame(opcode: .pong, payload: [9])])
        #expect(actions.last == .deliver(.binary([1, 2, 3, 4])))
    }

    @Test("fails with 1002 on a continuation frame without a message")
    func continuationWithoutStart() {
        var connection = ServerConnection.server(now: t0)
        let actions = connection.receive(clientFrame(.continuation, [1]), now: t0)
        #expect(writtenCloseCode(actions) == .protocolError)
        #expect(closure(actions)?.cause == .protocolError(.unexpectedContinuation))
    }

    @Test("fails with 1002 on a new data frame during a fragmented message")
    func dataDuringFragment() {
        var connection = ServerConnection.server(now: t0)
        let actions = connection.receive(clientText("a", fin: false) + clientText("b"), now: t0)
        #expect(writtenCloseCode(actions) == .protocolError)
        #expect(closure(actions)?.cause == .protocolError(.expectedContinuation))
    }

    @Test("fails with 1007 on invalid UTF-8 in a text frame")
    func invalidUTF8() {
        var connection = ServerConnection.server(now: t0)
        let actions = connection.receive(clientFrame(.text, [0x61, 0xC0, 0x80]), now: t0)
        #expect(!actions.contains { if case .deliver = $0 { true } else { false } })
        #expect(writtenCloseCode(actions) == .invalidPayloadData)
    }

    @Test("fails with 1007 at the fragment holding the invalid byte, before the message ends")
    func invalidUTF8AcrossFragments() {
        var connection = ServerConnection.server(now: t0)
        // "€" is E2 82 AC; split it across fragments, then break it.
        #expect(connection.receive(clientFrame(.text, [0x61, 0xE2], fin: false), now: t0).isEmpty)
        let actions = connection.receive(clientFrame(.continuation, [0x82, 0x28], fin: false), now: t0)
        #expect(writtenCloseCode(actions) == .invalidPayloadData)
        #expect(!connection.isOpen)
    }

    @Test("fails with 1007 inside a frame whose payload has not fully arrived")
    func invalidUTF8InsideArrivingFrame() {
        var connection = ServerConnection.server(now: t0)
        let frame = clientFrame(.text, Array("abcd".utf8) + [0xFF] + [UInt8](repeating: 0x61, count: 995))
        // Header (8 bytes) plus the first 6 payload bytes; 994 are still to come.
        let actions = connection.receive(frame.prefix(14), now: t0)
        #expect(writtenCloseCode(actions) == .invalidPayloadData)
        #expect(closure(actions)?.cause == .protocolError(.invalidUTF8))
    }

    @Test("does not refuse valid text that arrives a byte at a time")
    func validTextByteByByte() {
        var connection = ServerConnection.server(now: t0)
        let frame =
            clientFrame(.text, Array("né €🎉".utf8), fin: false) + clientFrame(.continuation, Array("ü".utf8))
        let actions = frame.flatMap { connection.receive([$0], now: t0) }
        #expect(actions == [.deliver(.text("né €🎉ü"))])
    }

    @Test("accepts a character split across fragments")
    func characterAcrossFragments() {
        var connection = ServerConnection.server(now: t0)
        let input =
            clientFrame(.text, [0x61, 0xE2], fin: false) + clientFrame(.continuation, [0x82], fin: false)
            + clientFrame(.continuation, [0xAC])
        #expect(connection.receive(input, now: t0) == [.deliver(.text("a€"))])
    }

    @Test("fails with 1007 on a text message ending inside a character")
    func truncatedText() {
        var connection = ServerConnection.server(now: t0)
        #expect(
            writtenCloseCode(connection.receive(clientFrame(.text, [0x61, 0xE2, 0x82]), now: t0))
                == .invalidPayloadData)
    }

    @Test("answers a ping with a pong echoing its payload")
    func pingPong() {
        var connection = ServerConnection.server(now: t0)
        let actions = connection.receive(clientFrame(.ping, Array("are you there".utf8)), now: t0)
        #expect(
            writtenFrames(actions) == [WebSocketFrame(opcode: .pong, payload: Array("are you there".utf8))])
    }

    @Test("ignores an unsolicited pong")
    func unsolicitedPong() {
        var connection = ServerConnection.server(now: t0)
        #expect(connection.receive(clientFrame(.pong, [1, 2]), now: t0).isEmpty)
        #expect(connection.isOpen)
    }

    @Test("answers the peer's close by echoing its code, then closes the transport")
    func peerClose() {
        var connection = ServerConnection.server(now: t0)
        let actions = connection.receive(clientFrame(.close, closePayload(1000, Array("bye".utf8))), now: t0)
        #expect(writtenFrames(actions) == [WebSocketFrame(opcode: .close, payload: closePayload(1000))])
        #expect(
            closure(actions) == WebSocketClosure(code: .normalClosure, reason: "bye", cause: .closeHandshake))
        #expect(closure(actions)?.discardsPendingWrites == false)
        #expect(connection.receive(clientText("late"), now: t0).isEmpty)
    }

    @Test("answers an empty close with an empty close and reports 1005")
    func emptyClose() {
        var connection = ServerConnection.server(now: t0)
        let actions = connection.receive(clientFrame(.close, []), now: t0)
        #expect(writtenFrames(actions) == [WebSocketFrame(opcode: .close, payload: [])])
        #expect(closure(actions)?.code == .noStatusReceived)
    }

    @Test(
        "refuses close codes not allowed on the wire with 1002",
        arguments: [0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535] as [UInt16])
    func refusesCloseCode(code: UInt16) {
        var connection = ServerConnection.server(now: t0)
        let actions = connection.receive(clientFrame(.close, closePayload(code)), now: t0)
        #expect(writtenCloseCode(actions) == .protocolError)
        #expect(closure(actions)?.cause == .protocolError(.invalidCloseCode))
    }

    @Test(
        "echoes close codes allowed on the wire",
        arguments: [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999]
            as [UInt16])
    func acceptsCloseCode(code: UInt16) {
        var connection = ServerConnection.server(now: t0)
        let actions = connection.receive(clientFrame(.close, closePayload(code)), now: t0)
        #expect(writtenCloseCode(actions) == WebSocketCloseCode(rawValue: code))
        #expect(closure(actions)?.cause == .closeHandshake)
    }

    @Test("refuses a one-byte close payload with 1002")
    func oneByteClose() {
        var connection = ServerConnection.server(now: t0)
        let actions = connection.receive(clientFrame(.close, [0x03]), now: t0)
        #expect(closure(actions)?.cause == .protocolError(.invalidClosePayload))
        #expect(writtenCloseCode(actions) == .protocolError)
    }

    @Test("refuses a close reason that is not UTF-8 with 1007")
    func invalidCloseReason() {
        var connection = ServerConnection.server(now: t0)
        let actions = connection.receive(clientFrame(.close, closePayload(1000, [0xFF])), now: t0)
        #expect(writtenCloseCode(actions) == .invalidPayloadData)
    }

    @Test("after our close, discards data and closes the transport on the peer's close")
    func ourClose() {
        var connection = ServerConnection.server(now: t0)
        let closing = connection.close(code: .goingAway, reason: "shutdown", now: t0)
        #expect(
            writtenFrames(closing) == [
                WebSocketFrame(opcode: .close, payload: closePayload(1001, Array("shutdown".utf8)))
            ])
        #expect(!connection.isOpen)
        #expect(connection.send(.text("nope")).isEmpty)
        #expect(connection.receive(clientText("still talking") + clientFrame(.ping, [1]), now: t0).isEmpty)
        let actions = connection.receive(clientFrame(.close, closePayload(1001)), now: t0)
        #expect(
            actions == [
                .closeTransport(
                    WebSocketClosure(code: .goingAway, reason: "shutdown", cause: .closeHandshake))
            ])
    }

    @Test("closes the transport when the peer does not answer our close within closeTimeout")
    func closeTimeout() {
        var connection = ServerConnection.server(now: t0)
        _ = connection.close(now: t0)
        let deadline = t0.advanced(by: .seconds(5))
        #expect(connection.nextDeadline == deadline)
        #expect(connection.tick(now: deadline.advanced(by: .nanoseconds(-1))).isEmpty)
        let actions = connection.tick(now: deadline)
        #expect(closure(actions)?.cause == .closeTimeout)
        #expect(closure(actions)?.discardsPendingWrites == true)
        #expect(connection.nextDeadline == nil)
    }

    @Test("sends a ping after pingInterval of silence, and not before")
    func heartbeat() {
        var configuration = ServerConnection.Configuration()
        configuration.pingInterval = .seconds(10)
        configuration.idleTimeout = .seconds(25)
        var connection = ServerConnection.server(configuration: configuration, now: t0)
        #expect(connection.nextDeadline == t0.advanced(by: .seconds(10)))
        #expect(connection.tick(now: t0.advanced(by: .seconds(9))).isEmpty)
        // Traffic resets the silence.
        _ = connection.receive(clientFrame(.pong, []), now: t0.advanced(by: .seconds(9)))
        #expect(connection.tick(now: t0.advanced(by: .seconds(10))).isEmpty)
        let t19 = t0.advanced(by: .seconds(19))
        #expect(writtenFrames(connection.tick(now: t19)).map(\.opcode) == [.ping])
        // The next ping waits another interval.
        #expect(connection.nextDeadline == t19.advanced(by: .seconds(10)))
        #expect(connection.tick(now: t19.advanced(by: .seconds(5))).isEmpty)
    }

    @Test("closes a peer silent past idleTimeout with 1001, and not a nanosecond earlier")
    func idleTimeout() {
        var configuration = ServerConnection.Configuration()
        configuration.pingInterval = nil
        configuration.idleTimeout = .seconds(60)
        var connection = ServerConnection.server(configuration: configuration, now: t0)
        let deadline = t0.advanced(by: .seconds(60))
        #expect(connection.nextDeadline == deadline)
        #expect(connection.tick(now: deadline.advanced(by: .nanoseconds(-1))).isEmpty)
        let actions = connection.tick(now: deadline)
        #expect(writtenCloseCode(actions) == .goingAway)
        #expect(closure(actions)?.cause == .idleTimeout)
    }

    @Test("closes a slow reader one byte past maxOutboundBufferedBytes with 1008")
    func slowReader() {
        var configuration = ServerConnection.Configuration()
        configuration.maxOutboundBufferedBytes = 1000
        var connection = ServerConnection.server(configuration: configuration, now: t0)
        #expect(connection.outboundBufferedBytesChanged(1000, now: t0).isEmpty)
        let actions = connection.outboundBufferedBytesChanged(1001, now: t0)
        #expect(closure(actions)?.code == .policyViolation)
        #expect(closure(actions)?.cause == .outboundBufferOverflow)
        #expect(closure(actions)?.discardsPendingWrites == true)
    }

    @Test("fails with 1009 on a frame over the limit")
    func tooBig() {
        var configuration = ServerConnection.Configuration()
        configuration.frameLimits = .init(maxFrameSize: 10, maxMessageSize: 10)
        var connection = ServerConnection.server(configuration: configuration, now: t0)
        #expect(
            writtenCloseCode(
                connection.receive(clientFrame(.binary, [UInt8](repeating: 0, count: 11)), now: t0))
                == .messageTooBig)
    }

    @Test("fails with 1002 on an unmasked client frame")
    func unmasked() {
        var connection = ServerConnection.server(now: t0)
        #expect(writtenCloseCode(connection.receive([0x81, 0x01, 0x61], now: t0)) == .protocolError)
    }

    @Test("reports 1006 when the transport closes without a handshake")
    func transportLost() {
        var connection = ServerConnection.server(now: t0)
        #expect(connection.transportClosed().code == .abnormalClosure)
        #expect(connection.closure?.cause == .transportClosed)
    }

    @Test("uses the documented defaults")
    func defaults() {
        let configuration = ServerConnection.Configuration()
        #expect(configuration.frameLimits.maxFrameSize == 1 << 20)
        #expect(configuration.frameLimits.maxMessageSize == 1 << 20)
        #expect(configuration.pingInterval == .seconds(30))
        #expect(configuration.idleTimeout == .seconds(75))
        #expect(configuration.closeTimeout == .seconds(5))
        #expect(configuration.maxOutboundBufferedBytes == 4 << 20)
    }

    @Test("cuts a long close reason at a character boundary to fit the 125-byte control limit")
    func longCloseReason() {
        // 61 two-byte characters = 122 bytes fit after the code; the 62nd would make 124 > 123.
        let reason = String(repeating: "é", count: 70)
        let payload = WebSocketFrameEncoder.closePayload(code: .normalClosure, reason: reason)
        #expect(payload.count == 2 + 122)
        #expect(String(validating: payload[2...], as: UTF8.self) == String(repeating: "é", count: 61))
        var connection = ServerConnection.server(now: t0)
        let frames = writtenFrames(connection.close(reason: reason, now: t0))
        #expect(frames.first?.payload.count == 124)
    }

    @Test("sends unmasked frames as a server")
    func serverSends() {
        var connection = ServerConnection.server(now: t0)
        #expect(connection.send(.text("hi")) == [.write([0x81, 0x02, 0x68, 0x69])])
    }

    @Test("masks frames with keys from the injected generator as a client")
    func clientSends() throws {
        var keys = SeededGenerator(seed: 1)
        var connection = WebSocketConnection.client(
            maskingKeys: SeededGenerator(seed: 1), now: t0)
        let actions = connection.send(.binary([1, 2, 3]))
        guard case .write(let bytes)? = actions.first else {
            Issue.record("no write")
            return
        }
        var parser = WebSocketFrameParser(role: .server)
        parser.append(bytes)
        let frame = try #require(try parser.next())
        #expect(frame.payload == [1, 2, 3])
        #expect(frame.maskingKey == WebSocketMaskingKey.random(using: &keys))
        // And it reads unmasked server frames.
        #expect(connection.receive([0x81, 0x02, 0x68, 0x69], now: t0) == [.deliver(.text("hi"))])
    }

    @Test("appends a sent frame after the bytes a transport holds, as the write action carries it")
    func sendAppendingToBytes() {
        var server = ServerConnection.server(now: t0)
        var bytes: [UInt8] = [0xEE]
        #expect(server.send(.text("hi"), appendingTo: &bytes))
        #expect(bytes == [0xEE, 0x81, 0x02, 0x68, 0x69])
        #expect(server.send(textUTF8: [0x6F, 0x6B], appendingTo: &bytes))
        #expect(bytes == [0xEE, 0x81, 0x02, 0x68, 0x69, 0x81, 0x02, 0x6F, 0x6B])

        var client = WebSocketConnection.client(maskingKeys: SeededGenerator(seed: 9), now: t0)
        var twin = WebSocketConnection.client(maskingKeys: SeededGenerator(seed: 9), now: t0)
        var masked: [UInt8] = []
        #expect(client.send(.binary([1, 2, 3]), appendingTo: &masked))
        #expect(twin.send(.binary([1, 2, 3])) == [.write(masked)])
    }

    @Test("appends nothing and reports false when asked to send after our close")
    func sendAppendingAfterClose() {
        var connection = ServerConnection.server(now: t0)
        _ = connection.close(now: t0)
        var bytes: [UInt8] = [0xEE]
        #expect(!connection.send(.binary([1]), appendingTo: &bytes))
        #expect(!connection.send(textUTF8: [0x61], appendingTo: &bytes))
        #expect(bytes == [0xEE])
    }

    @Test("appends the actions of received bytes after those the transport already holds")
    func receiveIntoActions() {
        var connection = ServerConnection.server(now: t0)
        var actions: [WebSocketAction] = [.deliver(.binary([0]))]
        let input = clientText("a") + clientFrame(.ping, [7])
        input.withUnsafeBytes { connection.receive($0, now: t0, into: &actions) }
        var reference = ServerConnection.server(now: t0)
        #expect(actions == [.deliver(.binary([0]))] + reference.receive(input, now: t0))
        #expect(actions.count == 3)
    }

    static let conversation: [UInt8] =
        clientText("first") + clientFrame(.text, Array(Array("séc".utf8).dropLast(2)), fin: false)
        + clientFrame(.ping, [7])
        + clientFrame(.continuation, Array(Array("séc".utf8).suffix(2)) + Array("ond €".utf8))
        + clientFrame(.binary, [0, 1])
        + clientFrame(.pong, [])
        + clientFrame(.close, closePayload(1000, Array("done".utf8)))

    @Test("produces identical actions whole, byte by byte and split at every index")
    func dripFeed() {
        func run(_ chunks: [[UInt8]]) -> [WebSocketAction] {
            var connection = ServerConnection.server(now: MonotonicInstant.zero)
            return chunks.flatMap { connection.receive($0, now: .zero) }
        }
        let whole = run([Self.conversation])
        let delivered = whole.compactMap { if case .deliver(let message) = $0 { message } else { nil } }
        #expect(delivered == [.text("first"), .text("sécond €"), .binary([0, 1])])
        #expect(closure(whole)?.reason == "done")
        for chunks in DripFeed.splits(of: Self.conversation) {
            #expect(run(chunks) == whole, "chunks \(chunks.map(\.count))")
        }
    }

    @Test("never crashes on mutated input, acts the same in random chunks, and stops after closing (seeded)")
    func fuzz() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<800 {
            var input = Self.conversation
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                input[Int.random(in: 0..<input.count, using: &generator)] = UInt8.random(
                    in: 0...255, using: &generator)
            }
            var connection = ServerConnection.server(now: .zero)
            var actions: [WebSocketAction] = []
            for chunk in DripFeed.randomChunks(of: input, maxChunk: 11, using: &generator) {
                actions += connection.receive(chunk, now: .zero)
            }
            var wholeConnection = ServerConnection.server(now: .zero)
            #expect(
                wholeConnection.receive(input, now: .zero) == actions, "seed \(generator.seed) input \(input)"
            )
            let closes = actions.indices.filter {
                if case .closeTransport = actions[$0] { true } else { false }
            }
            #expect(closes.count <= 1, "seed \(generator.seed) input \(input)")
            if let last = closes.first {
                #expect(last == actions.count - 1, "seed \(generator.seed) input \(input)")
            }
        }
    }
}
