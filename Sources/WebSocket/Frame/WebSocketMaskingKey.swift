/// The 4-byte masking key of a client-to-server frame (RFC 6455 §5.3).
public struct WebSocketMaskingKey: Sendable, Hashable {
    /// The four key bytes in wire order.
    public var bytes: (UInt8, UInt8, UInt8, UInt8) {
        (
            UInt8(truncatingIfNeeded: wire >> 24), UInt8(truncatingIfNeeded: wire >> 16),
            UInt8(truncatingIfNeeded: wire >> 8), UInt8(truncatingIfNeeded: wire)
        )
    }
    /// The key read as a big-endian integer (first wire byte most significant).
    public var wire: UInt32

    /// Creates a key from its big-endian integer form.
    public init(wire: UInt32) { self.wire = wire }

    /// Creates a key from four wire bytes.
    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        self.wire = UInt32(b0) << 24 | UInt32(b1) << 16 | UInt32(b2) << 8 | UInt32(b3)
    }

    /// A key from a random source; the source is injected so this module never reads entropy
    /// itself (§10.3 wants keys unpredictable — pass a cryptographic generator in production).
    /// One key is the high 32 bits of one draw.
    public static func random(using generator: inout some RandomNumberGenerator) -> WebSocketMaskingKey {
        WebSocketMaskingKey(wire: UInt32(truncatingIfNeeded: generator.next() >> 32))
    }

    /// XORs `bytes` with the key (masking and unmasking are the same operation). `offset` is the
    /// payload position of `bytes.first`, so a payload can be processed in pieces.
    ///
    /// Eight bytes at a time: the key is repeated into a 64-bit word (rotated for `offset`)
    /// and applied with unaligned loads and stores; the tail is done bytewise.
    public func apply(to bytes: inout [UInt8], offset: Int = 0) {
        bytes.withUnsafeMutableBufferPointer { apply(to: $0, offset: offset) }
    }

    /// XORs bytes in place in contiguous memory; see `apply(to:offset:)`.
    public func apply(to buffer: UnsafeMutableBufferPointer<UInt8>, offset: Int = 0) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        // Key byte `offset % 4` in the low bits, then the next ones: a value whose little-endian
        // bytes are the mask for payload bytes offset, offset + 1, ...
        let lowFirst = wire.byteSwapped
        let shift = UInt32(offset & 3) * 8
        let rotated = UInt64(lowFirst >> shift | lowFirst << ((32 - shift) & 31))
        let pattern = UInt64(littleEndian: rotated | rotated << 32)
        let count = buffer.count
        var index = 0
        while index + 8 <= count {
            let raw = UnsafeMutableRawPointer(base + index)
            raw.storeBytes(of: raw.loadUnaligned(as: UInt64.self) ^ pattern, as: UInt64.self)
            index += 8
        }
        withUnsafeBytes(of: pattern) { patternBytes in
            while index < count {
                base[index] ^= patternBytes[index & 7]
                index += 1
            }
        }
    }
}
