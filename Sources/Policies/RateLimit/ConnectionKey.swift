/// The key a connection is counted under: its peer address, IPv6 truncated to a prefix.
///
/// IPv6 clients usually own a whole /64, so limiting single addresses would let one client
/// open connections from 2^64 keys; the prefix length is configurable.
public struct ConnectionKey: Hashable, Sendable {
    /// High 64 bits (IPv6) or 0 for IPv4.
    public let high: UInt64
    /// Low 64 bits (IPv6) or the IPv4 address with a marker bit above it.
    public let low: UInt64

    /// An IPv4 peer, as the 32-bit address in host order (`0x7F000001` = 127.0.0.1).
    public init(ipv4: UInt32) {
        high = 0
        low = (1 << 32) | UInt64(ipv4)  // marker bit keeps v4 keys distinct from ::/96
    }

    /// An IPv6 peer given as two 64-bit halves in host order, truncated to `prefixLength` bits.
    public init(ipv6High: UInt64, low ipv6Low: UInt64, prefixLength: Int = 128) {
        let bits = min(128, max(0, prefixLength))
        if bits >= 64 {
            high = ipv6High
            let lowBits = bits - 64
            low = lowBits == 0 ? 0 : (lowBits == 64 ? ipv6Low : ipv6Low & ~(UInt64.max >> UInt64(lowBits)))
        } else {
            high = bits == 0 ? 0 : ipv6High & ~(UInt64.max >> UInt64(bits))
            low = 0
        }
    }

    /// An IPv6 peer given as 16 bytes in network order; nil if `bytes` is not 16 long.
    public init?(ipv6Bytes bytes: some Collection<UInt8>, prefixLength: Int = 128) {
        guard bytes.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        self.init(ipv6High: high, low: low, prefixLength: prefixLength)
    }
}
