/// An incremental frame parser (RFC 6455 §5.2): bytes in, whole unmasked frames out.
///
/// Every rule that can be checked from the header is checked as soon as the byte carrying it
/// arrives — RSV bits, reserved opcodes, masking by role, control-frame FIN and length, the
/// 64-bit length's MSB — and the size limits are checked when the length is known, before a
/// single payload byte is buffered (1009). A payload is held only until its frame completes,
/// and unmasked in place eight bytes at a time, each byte once, as it arrives (so completing
/// a large frame costs no pass over it); `partialFrame()` exposes the received part of a frame
/// still arriving.
///
/// Deliberately not enforced: minimal length encoding (§5.2 says the minimal number of bytes
/// MUST be used, but a longer form is unambiguous and refusing it protects nothing) and the
/// fragmentation order (§5.4), which `WebSocketConnection` enforces since it owns the message.
/// The message size limit is checked here because only here is the length known early: the
/// parser sums the payload lengths of data frames since the last frame with FIN set.
public struct WebSocketFrameParser: Sendable {
    /// Limits of the parser.
    public struct Configuration: Sendable, Hashable {
        /// Largest frame payload accepted. Default 1 MiB → `frameTooLarge` (1009).
        public var maxFrameSize: Int
        /// Largest message (sum of its fragments' payloads). Default 1 MiB → `messageTooLarge`
        /// (1009). Both limits may be raised to 16 MiB and beyond; memory use is bounded by
        /// them, since a frame is buffered whole.
        public var maxMessageSize: Int

        /// Creates a configuration; parameters default to the documented values.
        public init(maxFrameSize: Int = 1 << 20, maxMessageSize: Int = 1 << 20) {
            self.maxFrameSize = maxFrameSize
            self.maxMessageSize = maxMessageSize
        }
    }

    /// Where the parser is within a frame.
    enum State: Sendable, Hashable {
        /// Waiting for the complete header (2 to 14 bytes).
        case header
        /// The header is parsed; waiting for `length` payload bytes.
        case payload(fin: Bool, opcode: WebSocketOpcode, mask: WebSocketMaskingKey?, length: Int)
        /// The connection must be failed; the error repeats.
        case failed(WebSocketProtocolError)
    }

    /// Our role; it decides which masking is required.
    public let role: WebSocketRole
    /// The limits in force.
    public let configuration: Configuration

    private var state: State = .header
    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// Payload bytes of the data message in progress (frames since the last FIN).
    private var messageBytes = 0
    /// Payload bytes of the current frame already unmasked in `buffer`.
    private var unmaskedCount = 0

    /// Creates a parser for `role`.
    public init(role: WebSocketRole, configuration: Configuration = .init()) {
        self.role = role
        self.configuration = configuration
    }

    /// The most buffer capacity kept between frames (128 KiB); a larger buffer, grown for a
    /// large frame, is released once that frame has been taken.
    public static let retainedCapacity = 128 * 1024

    /// The payload length the header of the frame still arriving announced, or nil between
    /// frames. Known before any of the payload is buffered, so a consumer can decide whether
    /// it can afford the frame (the server's memory budget does) before it arrives.
    public var arrivingPayloadLength: Int? {
        if case .payload(_, let opcode, _, let length) = state, !opcode.isControl { return length }
        return nil
    }

    /// Number of received bytes not yet returned as frames.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Appends received bytes. Call `next()` to take frames.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        reclaimConsumed()
        buffer.append(contentsOf: bytes)
    }

    /// Appends received bytes straight from a transport's read buffer (one `memcpy`; the
    /// generic overload copies a raw buffer byte by byte).
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        reclaimConsumed()
        bytes.withMemoryRebound(to: UInt8.self) { buffer.append(contentsOf: $0) }
    }

    /// Drops bytes already returned as frames: all of them when the buffer is fully consumed,
    /// or the consumed prefix once it dominates a large buffer.
    private mutating func reclaimConsumed() {
        if readIndex > 0 && readIndex == buffer.count {
            // A buffer that grew for a large frame is given back rather than kept for the
            // connection's lifetime: an idle connection costs at most `retainedCapacity`.
            buffer.removeAll(keepingCapacity: buffer.capacity <= Self.retainedCapacity)
            readIndex = 0
        } else if readIndex >= 4096 && readIndex * 2 >= buffer.count {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }

    /// The next complete frame, or nil if more bytes are needed. Throws the same error on every
    /// call once the input broke a rule.
    public mutating func next() throws(WebSocketProtocolError) -> WebSocketFrame? {
        switch state {
        case .failed(let error):
            throw error
        case .header:
            guard try parseHeader() else { return nil }
            return try next()
        case .payload(let fin, let opcode, let mask, let length):
            guard buffer.count - readIndex >= length else {
                // Unmask what has arrived now, so a large frame's completion does not unmask
                // megabytes at once (each byte is still unmasked exactly once).
                unmaskArrivedPayload(upTo: buffer.count - readIndex, mask: mask)
                return nil
            }
            unmaskArrivedPayload(upTo: length, mask: mask)
            let payload: [UInt8]
            if length > Self.retainedCapacity && readIndex + length == buffer.count {
                // A large frame that ends the buffer: hand over the buffer itself, minus the
                // header in front, instead of holding the payload twice while it is copied.
                var taken: [UInt8] = []
                swap(&taken, &buffer)
                taken.removeSubrange(0..<readIndex)
                payload = taken
                readIndex = 0
            } else {
                payload = Array(buffer[readIndex..<readIndex + length])
                readIndex += length
            }
            unmaskedCount = 0
            state = .header
            return WebSocketFrame(fin: fin, opcode: opcode, maskingKey: mask, payload: payload)
        }
    }

    /// The next frame when it is a complete, final text frame whose payload ends the buffered
    /// bytes (a client's message arriving alone in a read, the common case): its payload,
    /// unmasked, as a slice sharing the buffer's storage — no copy and no allocation. Returns
    /// nil, taking nothing but the header, for any other frame (or none), which ``next()``
    /// then returns as usual. The slice should be dropped before more bytes are appended, or
    /// the buffer is copied on its next change.
    public mutating func nextFinalTextEndingBuffer() throws(WebSocketProtocolError) -> ArraySlice<UInt8>? {
        if case .header = state {
            guard try parseHeader() else { return nil }
        }
        guard case .payload(true, .text, let mask, let length) = state,
            readIndex + length == buffer.count
        else { return nil }
        unmaskArrivedPayload(upTo: length, mask: mask)
        let payload = buffer[readIndex..<buffer.count]
        readIndex = buffer.count
        unmaskedCount = 0
        state = .header
        return payload
    }

    /// The frame whose payload is still arriving: its opcode and the payload bytes received so
    /// far, unmasked. Lets a consumer act before a large frame completes — the connection uses
    /// it to refuse invalid UTF-8 at once (§8.1) instead of after buffering up to 1 MiB.
    public mutating func partialFrame() -> (opcode: WebSocketOpcode, fin: Bool, received: ArraySlice<UInt8>)?
    {
        guard case .payload(let fin, let opcode, let mask, let length) = state else { return nil }
        let available = min(length, buffer.count - readIndex)
        unmaskArrivedPayload(upTo: available, mask: mask)
        return (opcode, fin, buffer[readIndex..<readIndex + available])
    }

    /// Unmasks payload bytes in place from `unmaskedCount` up to `end`, each byte exactly once.
    private mutating func unmaskArrivedPayload(upTo end: Int, mask: WebSocketMaskingKey?) {
        guard end > unmaskedCount else { return }
        if let mask {
            let start = readIndex + unmaskedCount
            let offset = unmaskedCount
            buffer.withUnsafeMutableBufferPointer { all in
                mask.apply(
                    to: UnsafeMutableBufferPointer(rebasing: all[start..<readIndex + end]), offset: offset)
            }
        }
        unmaskedCount = end
    }

    private mutating func fail(_ error: WebSocketProtocolError) -> WebSocketProtocolError {
        state = .failed(error)
        return error
    }

    /// Parses the header if it is complete; validates each byte as soon as it is available.
    private mutating func parseHeader() throws(WebSocketProtocolError) -> Bool {
        let available = buffer.count - readIndex
        guard available >= 1 else { return false }
        let first = buffer[readIndex]
        if first & 0x70 != 0 { throw fail(.reservedBitsSet) }
        guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else { throw fail(.reservedOpcode) }
        let fin = first & 0x80 != 0
        if opcode.isControl && !fin { throw fail(.fragmentedControlFrame) }

        guard available >= 2 else { return false }
        let second = buffer[readIndex + 1]
        let masked = second & 0x80 != 0
        switch role {
        case .server where !masked: throw fail(.unmaskedClientFrame)
        case .client where masked: throw fail(.maskedServerFrame)
        default: break
        }
        let shortLength = Int(second & 0x7F)
        if opcode.isControl && shortLength > 125 { throw fail(.controlFrameTooLong) }

        let lengthBytes = shortLength == 126 ? 2 : shortLength == 127 ? 8 : 0
        let headerLength = 2 + lengthBytes + (masked ? 4 : 0)
        if lengthBytes == 8 && available >= 3 && buffer[readIndex + 2] & 0x80 != 0 {
            throw fail(.invalidPayloadLength)
        }
        guard available >= 2 + lengthBytes else { return false }
        var length = UInt64(shortLength)
        if lengthBytes > 0 {
            length = 0
            for i in 0..<lengthBytes {
                length = length << 8 | UInt64(buffer[readIndex + 2 + i])
            }
        }
        // Limits as soon as the length is known, before the payload is buffered.
        if length > UInt64(configuration.maxFrameSize) { throw fail(.frameTooLarge) }
        let payloadLength = Int(length)
        if !opcode.isControl {
            let base = opcode == .continuation ? messageBytes : 0
            if payloadLength > configuration.maxMessageSize - base { throw fail(.messageTooLarge) }
        }

        guard available >= headerLength else { return false }
        var mask: WebSocketMaskingKey?
        if masked {
            let k = readIndex + 2 + lengthBytes
            mask = WebSocketMaskingKey(buffer[k], buffer[k + 1], buffer[k + 2], buffer[k + 3])
        }
        if !opcode.isControl {
            let base = opcode == .continuation ? messageBytes : 0
            messageBytes = fin ? 0 : base + payloadLength
        }
        readIndex += headerLength
        if payloadLength > Self.retainedCapacity && buffer.capacity < readIndex + payloadLength {
            // Grow once to the frame's size instead of doubling past it as the payload arrives,
            // into a buffer that starts with the payload: at completion it is handed over as
            // it is, without moving megabytes down over the header in one go.
            var grown: [UInt8] = []
            grown.reserveCapacity(max(payloadLength, buffer.count - readIndex))
            grown.append(contentsOf: buffer[readIndex...])
            buffer = grown
            readIndex = 0
        }
        state = .payload(fin: fin, opcode: opcode, mask: mask, length: payloadLength)
        return true
    }
}
