import Reactor
import Testing

@Suite("Watch debouncer: one event per burst, driven by a manual clock")
struct WatchDebouncerTests {
    private let start = MonotonicInstant(nanoseconds: 1_000_000_000)
    private func at(_ milliseconds: Int) -> MonotonicInstant {
        start.advanced(by: .milliseconds(milliseconds))
    }

    /// Replays `changes` (ms offsets) against a debouncer whose single timer fires exactly at
    /// its deadline; returns the instants (ms) at which it emitted.
    private func replay(_ changes: [Int], quiet: Int = 250, maxDelay: Int = 2_000) -> [Int] {
        var debouncer = WatchDebouncer(quietPeriod: .milliseconds(quiet), maxDelay: .milliseconds(maxDelay))
        var timer: MonotonicInstant?
        var emitted: [Int] = []
        var pending = changes.map(at)
        func run(_ action: WatchDebouncer.Action, now: MonotonicInstant) {
            switch action {
            case .none: break
            case .armTimer(let deadline): timer = deadline
            case .emit: emitted.append(Int((now.nanoseconds - start.nanoseconds) / 1_000_000))
            }
        }
        while !pending.isEmpty || timer != nil {
            if let deadline = timer, pending.first.map({ deadline < $0 }) ?? true {
                timer = nil
                run(debouncer.timerFired(at: deadline), now: deadline)
            } else {
                let change = pending.removeFirst()
                run(debouncer.change(at: change), now: change)
            }
        }
        return emitted
    }

    @Test("an editor's save (rename away, create, write, close, delete backup) emits once")
    func editorDance() {
        #expect(replay([0, 1, 2, 3, 5, 9]) == [259])
    }

    @Test("two saves further apart than the quiet period emit twice")
    func twoSaves() {
        #expect(replay([0, 2, 1_000, 1_003]) == [252, 1_253])
    }

    @Test("a change just inside the quiet period extends the burst; just outside starts a new one")
    func quietBoundary() {
        #expect(replay([0, 249]) == [499])
        #expect(replay([0, 251]) == [250, 501])
    }

    @Test("a tree changing continuously is still reported at the max delay")
    func maxDelay() {
        let every100ms = Array(stride(from: 0, through: 5_000, by: 100))
        #expect(replay(every100ms, quiet: 250, maxDelay: 2_000) == [2_000, 4_100, 5_250])
    }

    @Test("a burst arms one timer however many changes it has")
    func oneTimer() {
        var debouncer = WatchDebouncer(quietPeriod: .milliseconds(250), maxDelay: .seconds(2))
        #expect(debouncer.change(at: at(0)) == .armTimer(at(250)))
        for offset in 1...100 { #expect(debouncer.change(at: at(offset)) == WatchDebouncer.Action.none) }
        #expect(debouncer.timerFired(at: at(250)) == .armTimer(at(350)))
        #expect(debouncer.timerFired(at: at(350)) == .emit)
        #expect(!debouncer.isPending)
        #expect(debouncer.timerFired(at: at(400)) == WatchDebouncer.Action.none)
    }
}
