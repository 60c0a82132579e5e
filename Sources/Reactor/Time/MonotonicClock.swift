#if canImport(Glibc)
    import Glibc
#endif

/// The production clock: `CLOCK_MONOTONIC`, which never jumps with wall-clock corrections.
public struct MonotonicClock: ReactorClock {
    /// Creates the clock; it holds no state.
    public init() {}

    /// Reads `CLOCK_MONOTONIC`.
    @inlinable
    public func now() -> MonotonicInstant {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return MonotonicInstant(nanoseconds: UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec))
    }
}
