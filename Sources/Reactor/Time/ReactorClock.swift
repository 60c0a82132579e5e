/// Where the Reactor (and anything above it that keeps deadlines) reads the time.
///
/// Injected rather than called directly so protocol timeouts can be tested by advancing a
/// ``ManualClock`` instead of sleeping.
public protocol ReactorClock: Sendable {
    /// The current instant on this clock's monotonic timeline.
    func now() -> MonotonicInstant
}
