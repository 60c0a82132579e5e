import Reactor
import Testing

@Suite("TimerQueue")
struct TimerQueueTests {
    private func at(_ n: UInt64) -> MonotonicInstant { MonotonicInstant(nanoseconds: n) }

    @Test("pops timers in deadline order, ties in scheduling order")
    func ordering() {
        var queue = TimerQueue<String>()
        _ = queue.schedule(at: at(30), "c")
        _ = queue.schedule(at: at(10), "a")
        _ = queue.schedule(at: at(20), "b1")
        _ = queue.schedule(at: at(20), "b2")
        var fired: [String] = []
        while let name = queue.popDue(now: at(100)) { fired.append(name) }
        #expect(fired == ["a", "b1", "b2", "c"])
    }

    @Test("does not pop a timer before its deadline")
    func notEarly() {
        var queue = TimerQueue<Int>()
        _ = queue.schedule(at: at(50), 1)
        let tooEarly = queue.popDue(now: at(49))
        let next = queue.nextDeadline()
        let onTime = queue.popDue(now: at(50))
        let after = queue.nextDeadline()
        #expect(tooEarly == nil)
        #expect(next == at(50))
        #expect(onTime == 1)
        #expect(after == nil)
    }

    @Test("a cancelled timer never fires and no longer sets the next deadline")
    func cancel() {
        var queue = TimerQueue<Int>()
        let first = queue.schedule(at: at(10), 1)
        _ = queue.schedule(at: at(20), 2)
        let cancelledOnce = queue.cancel(first)
        let cancelledTwice = queue.cancel(first)
        #expect(cancelledOnce)
        #expect(!cancelledTwice)
        let next = queue.nextDeadline()
        let survivor = queue.popDue(now: at(100))
        let nothing = queue.popDue(now: at(100))
        #expect(next == at(20))
        #expect(survivor == 2)
        #expect(nothing == nil)
        #expect(queue.count == 0)
    }

    @Test("random schedules and cancels fire exactly the survivors, sorted", arguments: [1, 2, 3, 42])
    func randomised(seed: UInt64) {
        var generator = SplitMix(seed: seed)
        var queue = TimerQueue<Int>()
        var live: [Int: (UInt64, TimerID)] = [:]
        for value in 0..<500 {
            let deadline = generator.next() % 1000
            live[value] = (deadline, queue.schedule(at: at(deadline), value))
            if generator.next() % 3 == 0, let victim = live.keys.randomElement(using: &generator) {
                queue.cancel(live[victim]!.1)
                live[victim] = nil
            }
        }
        var fired: [Int] = []
        while let value = queue.popDue(now: at(1000)) { fired.append(value) }
        let expected = live.sorted { ($0.value.0, $0.key) < ($1.value.0, $1.key) }.map(\.key)
        #expect(fired == expected, "seed \(seed)")
    }
}

/// A tiny seeded generator (the Reactor tests do not depend on PersonaTestSupport).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
