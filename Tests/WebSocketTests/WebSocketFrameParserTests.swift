import PersonaTestSupport
import Testing
import WebSocket

@Suite("WebSocket frame parser (RFC 6455 §5.2)")
struct WebSocketFrameParserTests {
    @Test("parses the §5.7 single-frame unmasked text example in client mode")
    func unmaskedExample() {
        let outcome = FrameOutcome([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f], role: .client)
        #expect(outcome.error == nil)
        #expect(outcome.frames == [WebSocketFrame(opcode: .text, payload: Array("Hello".utf8))])
    }

    @Test("parses and unmasks the §5.7 masked text example in server mode")
    func maskedExample() {
        let outcome = FrameOutcome([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58])
        #expect(outcome.error == nil)
        #expect(outcome.frames.first?.payload == Array("Hello".utf8))
        #expect(outcome.frames.first?.maskingKey == WebSocketMaskingKey(0x37, 0xfa, 0x21, 0x3d))
    }

    @Test("parses the §5.7 fragmented, ping, 256-byte and 64 KiB examples")
    func otherExamples() {
        let fragmented = FrameOutcome([0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f], role: .client)
        #expect(fragmented.frames.map(\.fin) == [false, true])
        #expect(fragmented.frames.map(\.opcode) == [.text, .continuation])
        let ping = FrameOutcome([0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f], role: .client)
        #expect(ping.frames.first?.opcode == .ping)
        let medium = FrameOutcome(
            [0x82, 0x7E, 0x01, 0x00] + [UInt8](repeating: 7, count: 256), role: .client)
        #expect(medium.frames.first?.payload.count == 256)
        let large = FrameOutcome(
            [0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0] + [UInt8](repeating: 7, count: 65536), role: .client)
        #expect(large.frames.first?.payload.count == 65536)
    }

    @Test("refuses any RSV bit when no extension is negotiated", arguments: [0x40, 0x20, 0x10] as [UInt8])
    func reservedBits(bit: UInt8) {
        #expect(FrameOutcome([0x81 | bit]).error == .reservedBitsSet)
    }

    @Test("refuses reserved opcodes", arguments: [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF] as [UInt8])
    func reservedOpcodes(opcode: UInt8) {
        #expect(FrameOutcome([0x80 | opcode]).error == .reservedOpcode)
        #expect(WebSocketProtocolError.reservedOpcode.closeCode == .protocolError)
    }

    @Test("requires masking on client frames in server mode")
    func requiresMask() {
        #expect(FrameOutcome([0x81, 0x05], role: .server).error == .unmaskedClientFrame)
    }

    @Test("forbids masking on server frames in client mode")
    func forbidsMask() {
        #expect(FrameOutcome([0x81, 0x85], role: .client).error == .maskedServerFrame)
    }

    @Test("refuses a control frame with a payload over 125 bytes", arguments: [0x88, 0x89, 0x8A] as [UInt8])
    func controlFrameLength(first: UInt8) {
        #expect(FrameOutcome([first, 0xFE, 0, 126]).error == .controlFrameTooLong)
        #expect(
            FrameOutcome(
                clientFrame(WebSocketOpcode(rawValue: first & 0xF)!, [UInt8](repeating: 0, count: 125))
            ).error == nil)
    }

    @Test("refuses a fragmented control frame", arguments: [0x08, 0x09, 0x0A] as [UInt8])
    func fragmentedControl(first: UInt8) {
        #expect(FrameOutcome([first]).error == .fragmentedControlFrame)
    }

    @Test("refuses a 64-bit length with its most significant bit set")
    func lengthMSB() {
        #expect(FrameOutcome([0x82, 0xFF, 0x80]).error == .invalidPayloadLength)
    }

    @Test("accepts a non-minimal length encoding (documented leniency)")
    func nonMinimalLength() {
        let outcome = FrameOutcome([0x82, 0xFE, 0x00, 0x01, 0, 0, 0, 0, 0x2A])
        #expect(outcome.error == nil)
        #expect(outcome.frames.first?.payload == [0x2A])
    }

    @Test("refuses a frame one byte over maxFrameSize as soon as the length is known")
    func frameLimit() throws {
        let configuration = WebSocketFrameParser.Configuration(maxFrameSize: 200, maxMessageSize: 1000)
        #expect(
            FrameOutcome(
                clientFrame(.binary, [UInt8](repeating: 1, count: 200)), configuration: configuration
            ).error == nil)
        // Only the header arrives: the payload is never buffered.
        var parser = WebSocketFrameParser(role: .server, configuration: configuration)
        parser.append([0x82, 0xFE, 0x00, 201])
        #expect(throws: WebSocketProtocolError.frameTooLarge) { try parser.next() }
        #expect(WebSocketProtocolError.frameTooLarge.closeCode == .messageTooBig)
    }

    @Test("refuses a fragmented message one byte over maxMessageSize at the last frame's header")
    func messageLimit() {
        let configuration = WebSocketFrameParser.Configuration(maxFrameSize: 100, maxMessageSize: 150)
        let first = clientFrame(.binary, [UInt8](repeating: 1, count: 100), fin: false)
        let ping = clientFrame(.ping, [1, 2, 3])
        let atLimit = first + ping + clientFrame(.continuation, [UInt8](repeating: 1, count: 50))
        #expect(FrameOutcome(atLimit, configuration: configuration).error == nil)
        let over = first + ping + [0x80, 0x80 | 51, 0, 0, 0, 0]
        #expect(FrameOutcome(over, configuration: configuration).error == .messageTooLarge)
        // A new message starts counting from zero.
        let next = atLimit + clientFrame(.binary, [UInt8](repeating: 1, count: 100))
        #expect(FrameOutcome(next, configuration: configuration).error == nil)
    }

    @Test("exposes the unmasked part of a frame still arriving, then the same frame whole")
    func partialFrame() throws {
        let payload = (0..<40).map { UInt8($0) }
        let bytes = clientFrame(.binary, payload)
        var parser = WebSocketFrameParser(role: .server)
        #expect(parser.partialFrame() == nil)
        var seen: [UInt8] = []
        for byte in bytes.dropLast() {
            parser.append([byte])
            #expect(try parser.next() == nil)
            if let partial = parser.partialFrame() {
                #expect(partial.opcode == .binary)
                seen = Array(partial.received)
            }
        }
        #expect(seen == Array(payload.dropLast()))
        parser.append([bytes.last!])
        #expect(try parser.next()?.payload == payload)
        #expect(parser.partialFrame() == nil)
    }

    @Test("accepts 16 MiB frames when configured")
    func largeLimit() {
        let size = 16 << 20
        let configuration = WebSocketFrameParser.Configuration(maxFrameSize: size, maxMessageSize: size)
        var parser = WebSocketFrameParser(role: .client, configuration: configuration)
        parser.append([0x82, 0x7F, 0, 0, 0, 0, 0x01, 0, 0, 0])
        parser.append([UInt8](repeating: 9, count: size))
        #expect((try? parser.next())??.payload.count == size)
    }

    @Test("unmasks eight bytes at a time exactly as the bytewise definition", arguments: [0, 1, 2, 3])
    func maskingMatchesReference(offset: Int) {
        var generator = SeededGenerator(seed: 6455 + UInt64(offset))
        for length in 0..<70 {
            let key = WebSocketMaskingKey.random(using: &generator)
            let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var fast = data
            key.apply(to: &fast, offset: offset)
            let (b0, b1, b2, b3) = key.bytes
            let keyBytes = [b0, b1, b2, b3]
            let reference = data.enumerated().map { $0.element ^ keyBytes[($0.offset + offset) % 4] }
            #expect(fast == reference, "seed \(generator.seed) length \(length)")
        }
    }

    @Test("decodes what the encoder wrote, masked and unmasked, for every length class (seeded)")
    func roundTrip() {
        var generator = SeededGenerator(seed: 52)
        let opcodes: [WebSocketOpcode] = [.text, .binary, .continuation, .ping, .pong, .close]
        for length in [0, 1, 125, 126, 127, 65535, 65536, 70000] {
            for role in [WebSocketRole.server, .client] {
                let opcode = opcodes.randomElement(using: &generator)!
                let payloadLength = opcode.isControl ? min(length, 125) : length
                let payload = (0..<payloadLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let key: WebSocketMaskingKey? = role == .server ? .random(using: &generator) : nil
                let frame = WebSocketFrame(fin: true, opcode: opcode, maskingKey: key, payload: payload)
                let outcome = FrameOutcome(WebSocketFrameEncoder.encode(frame), role: role)
                #expect(outcome.frames == [frame], "seed \(generator.seed) length \(length) role \(role)")
            }
        }
    }

    static let stream: [UInt8] =
        clientText("Hel", fin: false) + clientFrame(.ping, Array("beat".utf8))
        + clientFrame(.continuation, Array("lo".utf8))
        + clientFrame(.binary, [UInt8](repeating: 0xAB, count: 130)) + clientFrame(.close, [0x03, 0xE8])

    @Test("gives identical frames whole, byte by byte and split at every index")
    func dripFeed() {
        let whole = FrameOutcome(Self.stream)
        #expect(whole.frames.count == 5)
        for chunks in DripFeed.splits(of: Self.stream) {
            #expect(FrameOutcome(chunks: chunks) == whole, "chunks \(chunks.map(\.count))")
        }
    }

    @Test("gives the same frames from raw read buffers as from arrays, split at every index")
    func readBuffersDripFeed() {
        let whole = FrameOutcome(Self.stream)
        for chunks in DripFeed.splits(of: Self.stream) {
            #expect(
                FrameOutcome(chunks: chunks, fromReadBuffers: true) == whole, "chunks \(chunks.map(\.count))")
        }
    }

    @Test("encodes a payload from raw memory exactly as the same frame, masked and unmasked")
    func rawPayloadEncoding() {
        let payload: [UInt8] = Array(0..<200)
        for key in [nil, WebSocketMaskingKey(1, 2, 3, 4)] as [WebSocketMaskingKey?] {
            for length in [0, 5, 125, 126, 200] {
                let slice = Array(payload.prefix(length))
                var raw: [UInt8] = [0xEE]
                slice.withUnsafeBytes {
                    WebSocketFrameEncoder.encode(
                        fin: false, opcode: .binary, maskingKey: key, payload: $0, into: &raw)
                }
                let frame = WebSocketFrame(fin: false, opcode: .binary, maskingKey: key, payload: slice)
                #expect(
                    raw == [0xEE] + WebSocketFrameEncoder.encode(frame),
                    "length \(length) key \(String(describing: key))")
            }
        }
    }

    @Test("never crashes on mutated or random input and parses it the same in random chunks (seeded)")
    func fuzz() {
        var generator = SeededGenerator(seed: 0x6455)
        let configuration = WebSocketFrameParser.Configuration(maxFrameSize: 300, maxMessageSize: 400)
        for round in 0..<1500 {
            var input: [UInt8]
            if round % 3 == 0 {
                input = (0..<Int.random(in: 0..<64, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
            } else {
                input = Self.stream
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    let position = Int.random(in: 0..<input.count, using: &generator)
                    input[position] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            let role: WebSocketRole = round % 2 == 0 ? .server : .client
            let whole = FrameOutcome(input, role: role, configuration: configuration)
            let chunks = DripFeed.randomChunks(of: input, maxChunk: 9, using: &generator)
            #expect(
                FrameOutcome(chunks: chunks, role: role, configuration: configuration) == whole,
                "seed \(generator.seed) input \(input)")
        }
    }
}
