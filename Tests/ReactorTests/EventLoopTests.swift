import PersonaTestSupport
import Dispatch
import Reactor
import Testing

@Suite("EventLoop")
struct EventLoopTests {
    @Test("fires timers in deadline order when a manual clock passes them")
    func timersWithManualClock() throws {
        let clock = ManualClock()
        let group = try EventLoopGroup(loops: 1, clock: clock)
        defer { group.shutdown() }
        let loop = group.loops[0]
        let fired = Shared<[String]>([])
        let scheduled = Waiter()
        let done = Waiter()
        loop.execute {
            loop.scheduleTimer(after: .seconds(3)) {
                fired.update { $0.append("3s") }
                done.signal()
            }
            loop.scheduleTimer(after: .seconds(1)) { fired.update { $0.append("1s") } }
            let cancelled = loop.scheduleTimer(after: .seconds(2)) { fired.update { $0.append("2s") } }
            loop.cancelTimer(cancelled)
            scheduled.signal()
        }
        #expect(scheduled.wait())
        clock.advance(by: .milliseconds(999))
        let probe = Waiter()
        loop.execute { probe.signal() }
        #expect(probe.wait())
        #expect(fired.value.isEmpty)
        clock.advance(by: .seconds(5))
        loop.execute {}  // wake the loop so it re-reads the clock
        #expect(done.wait())
        #expect(fired.value == ["1s", "3s"])
    }

    @Test("fires a real-clock timer, never before its deadline")
    func realClockTimer() throws {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let loop = group.loops[0]
        let done = Waiter()
        let early = Shared(false)
        loop.execute {
            let start = loop.now()
            loop.scheduleTimer(after: .milliseconds(20)) {
                early.update { $0 = loop.now() < start.advanced(by: .milliseconds(20)) }
                done.signal()
            }
        }
        #expect(done.wait())
        #expect(!early.value)
    }

    @Test("runs every task submitted from many threads, on the loop's thread")
    func executeFromManyThreads() throws {
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let loop = group.loops[0]
        let counter = Shared(0)
        let offLoop = Shared(0)
        let threads = 8
        let perThread = 2000
        let finished = Waiter()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for _ in 0..<perThread {
                loop.execute {
                    if !loop.inEventLoop { offLoop.update { $0 += 1 } }
                    let total = counter.update { value -> Int in
                        value += 1
                        return value
                    }
                    if total == threads * perThread { finished.signal() }
                }
            }
        }
        #expect(finished.wait())
        #expect(counter.value == threads * perThread)
        #expect(offLoop.value == 0)
        #expect(!loop.inEventLoop)
    }

    @Test("a group of N loops runs each on its own thread")
    func groupThreads() throws {
        let group = try EventLoopGroup(loops: 3)
        defer { group.shutdown() }
        let seen = Shared(Set<Int>())
        let done = Waiter()
        for loop in group.loops {
            loop.execute {
                precondition(loop.inEventLoop)
                for other in group.loops where other !== loop { precondition(!other.inEventLoop) }
                seen.update { $0.insert(loop.index) }
                done.signal()
            }
        }
        for _ in 0..<3 { #expect(done.wait()) }
        #expect(seen.value == [0, 1, 2])
    }
}
