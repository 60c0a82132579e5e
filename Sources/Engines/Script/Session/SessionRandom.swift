/// The per-session random generator (SplitMix64): seeded at session start, so a test with a
/// seed always gets the same replies. Not cryptographic; it only picks replies.
public struct SessionRandom: RandomNumberGenerator, Hashable, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) {
        self.state = seed
    }

    /// The generator's state: `SessionRandom(seed: g.state)` continues exactly where `g` is
    /// (a stored session picks up its random sequence after a restart).
    public var currentState: UInt64 { state }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An index into `weights`, chosen with probability proportional to each weight.
    public mutating func pick(weights: [Int]) -> Int {
        let total = weights.reduce(0) { $0 + max(0, $1) }
        guard total > 0 else { return 0 }
        var roll = Int.random(in: 0..<total, using: &self)
        for (index, weight) in weights.enumerated() {
            roll -= max(0, weight)
            if roll < 0 { return index }
        }
        return weights.count - 1
    }
}
