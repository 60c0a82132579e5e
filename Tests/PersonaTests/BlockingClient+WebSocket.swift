#if canImport(Glibc)
    import Glibc
#endif
import PersonaTestSupport

extension BlockingClient {
    /// Sends one WebSocket frame (RFC 6455 §5.2), masked unless `masked` is false.
    func sendFrame(opcode: UInt8, _ payload: [UInt8], fin: Bool = true, masked: Bool = true) {
        var frame: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        let maskBit: UInt8 = masked ? 0x80 : 0
        if payload.count < 126 {
            frame.append(maskBit | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame.append(maskBit | 126)
            frame += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(maskBit | 127)
            frame += (0..<8).reversed().map { UInt8(truncatingIfNeeded: payload.count >> ($0 * 8)) }
        }
        if masked {
            let key: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
            frame += key
            frame += payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
        } else {
            frame += payload
        }
        send(frame)
    }

    /// Reads one (unmasked, server) frame: opcode and payload; nil at EOF.
    func readFrame() -> (opcode: UInt8, payload: [UInt8])? {
        let header = receive(exactly: 2)
        guard header.count == 2 else { return nil }
        var length = Int(header[1] & 0x7F)
        if length == 126 {
            let extended = receive(exactly: 2)
            guard extended.count == 2 else { return nil }
            length = Int(extended[0]) << 8 | Int(extended[1])
        } else if length == 127 {
            let extended = receive(exactly: 8)
            guard extended.count == 8 else { return nil }
            length = extended.reduce(0) { $0 << 8 | Int($1) }
        }
        let payload = receive(exactly: length)
        guard payload.count == length else { return nil }
        return (header[0] & 0x0F, payload)
    }

    /// Sends an upgrade request for `path` with `fields` replacing the defaults (nil removes)
    /// and returns the status code and the raw response head.
    func upgrade(path: String = "/v1/echo", _ fields: [String: String?] = [:]) -> (status: Int, head: String)
    {
        var headers: [(String, String?)] = [
            ("Host", "127.0.0.1"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13"),
        ]
        for (name, value) in fields {
            if let index = headers.firstIndex(where: { $0.0 == name }) {
                headers[index].1 = value
            } else {
                headers.append((name, value))
            }
        }
        var request = "GET \(path) HTTP/1.1\r\n"
        for (name, value) in headers { if let value { request += "\(name): \(value)\r\n" } }
        send(request + "\r\n")
        return readHead()
    }

    /// Reads a response head (through the blank line): status and text.
    func readHead() -> (status: Int, head: String) {
        var bytes: [UInt8] = []
        while !(bytes.count >= 4 && bytes.suffix(4) == [13, 10, 13, 10]) {
            let byte = receive(exactly: 1)
            if byte.isEmpty { break }
            bytes += byte
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let status = text.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return (status, text)
    }

    /// The close code of a close frame, if `frame` is one.
    static func closeCode(_ frame: (opcode: UInt8, payload: [UInt8])?) -> Int? {
        guard let frame, frame.opcode == 8, frame.payload.count >= 2 else { return nil }
        return Int(frame.payload[0]) << 8 | Int(frame.payload[1])
    }
}
