/// Identifies a scheduled timer so it can be cancelled.
public struct TimerID: Hashable, Sendable {
    /// Monotonically increasing per queue; also breaks ties between equal deadlines so timers
    /// with the same deadline fire in the order they were scheduled.
    package let sequence: UInt64
}

/// A pure min-heap of deadlines with payloads: no clock, no syscalls.
///
/// Cancellation is lazy — the payload is dropped at once (so captured objects are released)
/// and the heap entry is skipped when it surfaces. That keeps `cancel` O(1) at the cost of
/// dead entries lingering until their deadline; `compactIfMostlyCancelled` bounds the waste
/// for the common pattern "schedule a timeout, cancel it almost always".
public struct TimerQueue<Payload> {
    private struct Entry {
        var deadline: MonotonicInstant
        var id: TimerID
        func precedes(_ other: Entry) -> Bool {
            deadline != other.deadline ? deadline < other.deadline : id.sequence < other.id.sequence
        }
    }

    private var heap: [Entry] = []
    private var payloads: [TimerID: Payload] = [:]
    private var nextSequence: UInt64 = 0

    /// An empty queue.
    public init() {}

    /// Number of live (scheduled, not cancelled, not fired) timers.
    public var count: Int { payloads.count }

    /// Schedules `payload` at `deadline`.
    public mutating func schedule(at deadline: MonotonicInstant, _ payload: Payload) -> TimerID {
        let id = TimerID(sequence: nextSequence)
        nextSequence += 1
        payloads[id] = payload
        heap.append(Entry(deadline: deadline, id: id))
        siftUp(heap.count - 1)
        return id
    }

    /// Cancels `id`; returns whether it was still pending.
    @discardableResult
    public mutating func cancel(_ id: TimerID) -> Bool {
        guard payloads.removeValue(forKey: id) != nil else { return false }
        compactIfMostlyCancelled()
        return true
    }

    /// The earliest live deadline, if any.
    public mutating func nextDeadline() -> MonotonicInstant? {
        dropCancelledTop()
        return heap.first?.deadline
    }

    /// Removes and returns the earliest timer if its deadline is at or before `now`.
    public mutating func popDue(now: MonotonicInstant) -> Payload? {
        dropCancelledTop()
        guard let top = heap.first, top.deadline <= now else { return nil }
        removeTop()
        return payloads.removeValue(forKey: top.id)
    }

    private mutating func dropCancelledTop() {
        while let top = heap.first, payloads[top.id] == nil { removeTop() }
    }

    private mutating func compactIfMostlyCancelled() {
        guard heap.count > 64, heap.count > payloads.count * 4 else { return }
        heap.removeAll { payloads[$0.id] == nil }
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
    }

    private mutating func removeTop() {
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var smallest = left
            if left + 1 < heap.count, heap[left + 1].precedes(heap[left]) { smallest = left + 1 }
            guard heap[smallest].precedes(heap[parent]) else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
