import Foundation
import Policies

/// The production clock: `ContinuousClock` (monotonic) for decisions, and Foundation's `Date`
/// for the UTC wall time the daily quota resets by.
public struct SystemChatClock: ChatClock {
    private let origin = ContinuousClock.now

    /// Creates a clock whose monotonic origin is now.
    public init() {}

    /// Nanoseconds since the clock was created.
    public func now() -> PolicyInstant {
        PolicyInstant.zero.advanced(by: ContinuousClock.now - origin)
    }

    /// Milliseconds since the Unix epoch.
    public func wallMilliseconds() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1_000)
    }
}
