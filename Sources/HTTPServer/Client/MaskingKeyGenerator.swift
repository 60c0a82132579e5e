/// Masking keys for client frames: SplitMix64 seeded once from the system generator.
///
/// RFC 6455 §5.3 asks for unpredictable keys so a hostile script in a browser cannot steer the
/// bytes an intermediary sees. A native client is not in that threat model, and drawing every
/// key from `SystemRandomNumberGenerator` costs a `getrandom(2)` per frame — a real share of a
/// load generator's time. A seeded fast generator keeps keys varied (no fixed-key shortcuts in
/// the server's unmasking) at no syscall cost.
public struct MaskingKeyGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Seeds from the system generator.
    public init() {
        var system = SystemRandomNumberGenerator()
        state = system.next()
    }

    /// Seeds with `seed` (tests).
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
