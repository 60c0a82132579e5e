/// Serialises frames (RFC 6455 §5.2). Servers write unmasked frames; clients pass a masking key
/// (from an injected random source, §5.3) and the payload is masked on the way out.
public enum WebSocketFrameEncoder {
    /// Appends one frame. Lengths use the minimal encoding (7-bit, 16-bit or 64-bit).
    public static func encode(_ frame: WebSocketFrame, into buffer: inout [UInt8]) {
        frame.payload.withUnsafeBytes { payload in
            encode(
                fin: frame.fin, opcode: frame.opcode, maskingKey: frame.maskingKey, payload: payload,
                into: &buffer)
        }
    }

    /// Appends one frame whose payload is in contiguous memory: the hot path of a send, which
    /// writes header and payload straight into the transport's buffer with no `WebSocketFrame`
    /// and no intermediate array.
    public static func encode(
        fin: Bool = true, opcode: WebSocketOpcode, maskingKey: WebSocketMaskingKey?,
        payload: UnsafeRawBufferPointer, into buffer: inout [UInt8]
    ) {
        let count = payload.count
        buffer.reserveCapacity(buffer.count + count + 14)
        buffer.append((fin ? 0x80 : 0) | opcode.rawValue)
        let maskBit: UInt8 = maskingKey == nil ? 0 : 0x80
        if count < 126 {
            buffer.append(maskBit | UInt8(count))
        } else if count <= 0xFFFF {
            buffer.append(maskBit | 126)
            buffer.append(UInt8(truncatingIfNeeded: count >> 8))
            buffer.append(UInt8(truncatingIfNeeded: count))
        } else {
            buffer.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) {
                buffer.append(UInt8(truncatingIfNeeded: UInt64(count) >> UInt64(shift)))
            }
        }
        guard let key = maskingKey else {
            payload.withMemoryRebound(to: UInt8.self) { buffer.append(contentsOf: $0) }
            return
        }
        let (b0, b1, b2, b3) = key.bytes
        buffer.append(b0)
        buffer.append(b1)
        buffer.append(b2)
        buffer.append(b3)
        let start = buffer.count
        payload.withMemoryRebound(to: UInt8.self) { buffer.append(contentsOf: $0) }
        buffer.withUnsafeMutableBufferPointer { all in
            key.apply(to: UnsafeMutableBufferPointer(rebasing: all[start...]))
        }
    }

    /// Appends the header of an unmasked frame (a server's) whose `payloadLength` bytes the
    /// caller sends after it from its own array.
    public static func encodeHeader(
        fin: Bool = true, opcode: WebSocketOpcode, payloadLength count: Int, into buffer: inout [UInt8]
    ) {
        buffer.append((fin ? 0x80 : 0) | opcode.rawValue)
        if count < 126 {
            buffer.append(UInt8(count))
        } else if count <= 0xFFFF {
            buffer.append(126)
            buffer.append(UInt8(truncatingIfNeeded: count >> 8))
            buffer.append(UInt8(truncatingIfNeeded: count))
        } else {
            buffer.append(127)
            for shift in stride(from: 56, through: 0, by: -8) {
                buffer.append(UInt8(truncatingIfNeeded: UInt64(count) >> UInt64(shift)))
            }
        }
    }

    /// One frame's bytes.
    public static func encode(_ frame: WebSocketFrame) -> [UInt8] {
        var buffer: [UInt8] = []
        encode(frame, into: &buffer)
        return buffer
    }

    /// A close frame payload: the code in network order, then the UTF-8 reason (§5.5.1).
    /// The reason is cut at a character boundary so the payload stays within 125 bytes.
    public static func closePayload(code: WebSocketCloseCode, reason: String) -> [UInt8] {
        var payload: [UInt8] = [UInt8(code.rawValue >> 8), UInt8(code.rawValue & 0xFF)]
        var reasonBytes: [UInt8] = []
        for scalar in reason.unicodeScalars {
            let encoded = Array(String(scalar).utf8)
            if reasonBytes.count + encoded.count > 123 { break }
            reasonBytes += encoded
        }
        payload += reasonBytes
        return payload
    }
}
