import WebSocket

/// Every frame a parser produced for an input, and the error that stopped it.
struct FrameOutcome: Equatable, CustomStringConvertible {
    var frames: [WebSocketFrame] = []
    var error: WebSocketProtocolError?

    /// `fromReadBuffers` feeds each chunk as a transport does, through the raw-buffer append.
    init(
        chunks: [[UInt8]], role: WebSocketRole = .server,
        configuration: WebSocketFrameParser.Configuration = .init(), fromReadBuffers: Bool = false
    ) {
        var parser = WebSocketFrameParser(role: role, configuration: configuration)
        do {
            for chunk in chunks {
                if fromReadBuffers {
                    chunk.withUnsafeBytes { parser.append($0) }
                } else {
                    parser.append(chunk)
                }
                while let frame = try parser.next() { frames.append(frame) }
            }
        } catch {
            self.error = error
        }
    }

    init(
        _ bytes: [UInt8], role: WebSocketRole = .server,
        configuration: WebSocketFrameParser.Configuration = .init()
    ) {
        self.init(chunks: [bytes], role: role, configuration: configuration)
    }

    var description: String { "frames: \(frames), error: \(String(describing: error))" }
}

/// A masked client frame's bytes (server-side parser input).
func clientFrame(
    _ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true,
    key: WebSocketMaskingKey = .init(0x37, 0xFA, 0x21, 0x3D)
) -> [UInt8] {
    WebSocketFrameEncoder.encode(WebSocketFrame(fin: fin, opcode: opcode, maskingKey: key, payload: payload))
}

/// A masked text frame.
func clientText(_ text: String, fin: Bool = true) -> [UInt8] {
    clientFrame(.text, Array(text.utf8), fin: fin)
}
