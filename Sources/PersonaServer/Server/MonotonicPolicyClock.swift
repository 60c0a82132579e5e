import Policies
import Reactor

/// `CLOCK_MONOTONIC` as a ``PolicyClock``, for state shared by every loop (the refusal-log
/// throttle), which no single loop's clock can serve.
struct MonotonicPolicyClock: PolicyClock {
    func now() -> PolicyInstant {
        PolicyInstant(nanoseconds: Int64(clamping: MonotonicClock().now().nanoseconds))
    }
}
