import Engines

/// The chaos model's random source: the engines' SplitMix64 generator, so a seed names one
/// run exactly.
public typealias ChaosGenerator = SessionRandom

extension SessionRandom {
    /// True with probability `percent` / 100.
    public mutating func chance(_ percent: Int) -> Bool {
        Int.random(in: 0..<100, using: &self) < percent
    }
}
