#if canImport(Glibc)
    import Glibc
#endif

/// Timing and printing for by-hand micro-benchmarks that live beside the tests. They run only
/// with `PERSONA_BENCH=1` (never as timed tests) and print `BENCH name: rate` lines.
public enum Benchmark {
    /// True when `PERSONA_BENCH=1`.
    public static var isEnabled: Bool {
        guard let value = getenv("PERSONA_BENCH") else { return false }
        return String(cString: value) == "1"
    }

    /// How long `body` takes on the continuous clock.
    public static func measure(_ body: () throws -> Void) rethrows -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        try body()
        return clock.now - start
    }

    /// Prints `BENCH name: N unit/s, M MB/s (count unit in S s)`.
    public static func report(_ name: String, count: Int, unit: String, bytes: Int, elapsed: Duration) {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "BENCH \(name): \(Int(Double(count) / seconds)) \(unit)/s, \(Int(Double(bytes) / seconds / 1e6)) MB/s (\(count) \(unit) in \(seconds) s)"
        )
    }
}
