/// Turns a burst of file-change notifications into one event: the pure half of
/// ``DirectoryWatcher``, driven by instants so tests use a manual clock.
///
/// An editor's save is a dance — write a temporary file, rename the original away, rename the
/// new one in, delete the backup — that produces five or more inotify events within a few
/// milliseconds. The debouncer emits once the tree has been quiet for ``quietPeriod``
/// (trailing edge). So that a tree being rewritten continuously still reloads, a burst is
/// flushed at the latest ``maxDelay`` after its first change.
public struct WatchDebouncer: Hashable, Sendable {
    /// What the owner should do next.
    public enum Action: Hashable, Sendable {
        /// Nothing (a timer already armed covers this change).
        case none
        /// Arm (or re-arm) the single timer for this instant.
        case armTimer(MonotonicInstant)
        /// The burst is over: report one change.
        case emit
    }

    /// How long the tree must be quiet before a burst is reported.
    public let quietPeriod: Duration
    /// The longest a burst may delay its report.
    public let maxDelay: Duration
    private var firstChange: MonotonicInstant?
    private var lastChange: MonotonicInstant?
    private var armed: MonotonicInstant?

    /// Creates a debouncer; `maxDelay` is raised to `quietPeriod` if shorter.
    public init(quietPeriod: Duration, maxDelay: Duration) {
        self.quietPeriod = quietPeriod
        self.maxDelay = max(maxDelay, quietPeriod)
    }

    /// Whether a burst is waiting to be reported.
    public var isPending: Bool { firstChange != nil }

    /// A change happened at `now`. Re-arms only when no timer is armed: the timer checks
    /// the latest change when it fires, so a burst of N changes costs one timer, not N.
    public mutating func change(at now: MonotonicInstant) -> Action {
        if firstChange == nil { firstChange = now }
        lastChange = now
        guard armed == nil else { return .none }
        let deadline = dueInstant()
        armed = deadline
        return .armTimer(deadline)
    }

    /// The armed timer fired at `now`: either the burst is over (emit) or a later change
    /// moved the deadline (re-arm).
    public mutating func timerFired(at now: MonotonicInstant) -> Action {
        armed = nil
        guard firstChange != nil else { return .none }
        let due = dueInstant()
        if now >= due {
            firstChange = nil
            lastChange = nil
            return .emit
        }
        armed = due
        return .armTimer(due)
    }

    /// When the pending burst should be reported: quiet period after its last change, but no
    /// later than max delay after its first.
    private func dueInstant() -> MonotonicInstant {
        guard let first = firstChange, let last = lastChange else { return MonotonicInstant(nanoseconds: 0) }
        return min(last.advanced(by: quietPeriod), first.advanced(by: maxDelay))
    }
}
