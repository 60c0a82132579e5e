/// The source of "now" for the policies.
///
/// Policies take instants as parameters; this protocol is the seam the server uses to hand one
/// clock to all of them. The production conformance lives with the event loop (it reads
/// `CLOCK_MONOTONIC` once per loop iteration); tests use a manual clock they advance by hand.
/// Policies never read the wall clock: a settable clock would let an NTP step refill every
/// bucket or expire every cache entry at once.
public protocol PolicyClock: Sendable {
    /// The current instant on a monotonic timeline.
    func now() -> PolicyInstant
}
