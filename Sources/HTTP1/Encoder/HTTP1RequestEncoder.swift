/// Serialises a request head (RFC 9112 §3) for clients such as the WebSocket client handshake
/// and the benchmark load generator. Same sanitising rules as `HTTP1ResponseEncoder`; a
/// request-target with whitespace or control bytes has them percent-encoded.
public enum HTTP1RequestEncoder {
    /// Appends the request line, the fields and the blank line. Framing fields are the
    /// caller's (add Content-Length or Transfer-Encoding when sending a body).
    public static func encodeHead(_ head: HTTP1RequestHead, into buffer: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        for byte in head.method.rawValue.utf8 {
            buffer.append(HTTPSyntax.isTokenCharacter(byte) ? byte : UInt8(ascii: "-"))
        }
        buffer.append(0x20)
        for byte in head.target.utf8 {
            if byte > 0x20 && byte < 0x7F {
                buffer.append(byte)
            } else {
                buffer.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            }
        }
        buffer.append(contentsOf: " \(head.version)\r\n".utf8)
        for field in head.headers {
            for byte in field.name.utf8 {
                buffer.append(HTTPSyntax.isTokenCharacter(byte) ? byte : UInt8(ascii: "-"))
            }
            buffer.append(contentsOf: [UInt8(ascii: ":"), 0x20])
            for byte in field.value.utf8 {
                buffer.append(HTTPSyntax.isFieldValueByte(byte) ? byte : 0x20)
            }
            buffer.append(contentsOf: [0x0D, 0x0A])
        }
        buffer.append(contentsOf: [0x0D, 0x0A])
    }
}
