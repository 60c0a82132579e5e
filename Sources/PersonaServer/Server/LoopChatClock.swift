import Foundation
import PersonaRuntime
import Policies
import Reactor

/// The hub's clock, read from the event loop's own clock so that the instants the hub asks
/// timers for and the instants the loop fires them at are on one scale (a second clock would
/// drift from the loop's timer wheel by however long the two reads are apart).
struct LoopChatClock: ChatClock {
    let loop: EventLoop

    func now() -> PolicyInstant {
        PolicyInstant(nanoseconds: Int64(clamping: loop.now().nanoseconds))
    }

    func wallMilliseconds() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1_000)
    }

    /// The loop instant for a hub instant (hub instants are never negative: they come from
    /// `now()` plus a duration).
    static func loopInstant(_ instant: PolicyInstant) -> MonotonicInstant {
        MonotonicInstant(nanoseconds: UInt64(max(0, instant.nanoseconds)))
    }
}
