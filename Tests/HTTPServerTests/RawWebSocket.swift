import PersonaTestSupport
import HTTP1
import WebSocket

/// A hand-driven WebSocket client over a blocking socket, able to send what a real client
/// never would (unmasked frames, bad UTF-8, oversized frames).
final class RawWebSocket {
    let client: BlockingClient
    let reader: ResponseReader
    private var parser = WebSocketFrameParser(
        role: .client, configuration: .init(maxFrameSize: 64 << 20, maxMessageSize: 64 << 20))

    init(port: Int) {
        client = BlockingClient(port: port)
        reader = ResponseReader(client)
    }

    static let key = "dGhlIHNhbXBsZSBub25jZQ=="

    /// Sends an upgrade request (with `overrides` replacing or adding fields) and returns the answer.
    func handshake(path: String = "/ws", overrides: [(String, String?)] = []) -> ReceivedResponse? {
        var fields: [(String, String?)] = [
            ("Host", "t"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", Self.key), ("Sec-WebSocket-Version", "13"),
        ]
        for (name, value) in overrides {
            if let index = fields.firstIndex(where: { $0.0 == name }) {
                fields[index].1 = value
            } else {
                fields.append((name, value))
            }
        }
        var request = "GET \(path) HTTP/1.1\r\n"
        for (name, value) in fields { if let value { request += "\(name): \(value)\r\n" } }
        client.send(request + "\r\n")
        return reader.next()
    }

    /// Sends one frame; masked unless told otherwise (clients must mask, RFC 6455 §5.3).
    func send(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true, masked: Bool = true) {
        let key: WebSocketMaskingKey? = masked ? WebSocketMaskingKey(0x12, 0x34, 0x56, 0x78) : nil
        client.send(
            WebSocketFrameEncoder.encode(
                WebSocketFrame(fin: fin, opcode: opcode, maskingKey: key, payload: payload)))
    }

    /// The next frame from the server, or nil at EOF.
    func nextFrame() -> WebSocketFrame? {
        if !reader.buffer.isEmpty {
            parser.append(reader.buffer)
            reader.buffer = []
        }
        while true {
            if let frame = try? parser.next() { return frame }
            let more = client.receiveSome()
            if more.isEmpty { return nil }
            parser.append(more)
        }
    }

    /// The close code in a close frame's payload.
    static func closeCode(_ frame: WebSocketFrame?) -> UInt16? {
        guard let frame, frame.opcode == .close, frame.payload.count >= 2 else { return nil }
        return UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1])
    }
}
