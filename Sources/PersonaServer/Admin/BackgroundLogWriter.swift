import Foundation
import Observability
import Synchronization

/// Hands log lines to another writer on a thread of its own, so logging never blocks an
/// event loop — not even when standard error is a pipe nobody reads.
///
/// The queue is bounded (`maxBacklogBytes`, default 1 MiB): a line that would go past the
/// bound is dropped and counted, and the next line written after the backlog drains is
/// preceded by one `log lines dropped` line saying how many were lost. Losing log lines under
/// a stalled sink is the trade-off; stalling every chat on that loop would be worse.
public final class BackgroundLogWriter: LogWriter {
    /// Queued bytes beyond which lines are dropped. Default 1 MiB.
    public let maxBacklogBytes: Int
    /// How long the writing thread waits after a wake-up before it takes the queue, so lines
    /// written meanwhile go in the same batch (a busy server wakes it a few hundred times a
    /// second at most, not once per line). Default 5 ms: a line reaches its sink that much later.
    public let batchDelay: Duration
    private let target: any LogWriter
    private let format: LogFormat
    private let clock: any LogClock
    private let state = Mutex(State())
    private let ready = DispatchSemaphore(value: 0)

    private struct State {
        var lines: [[UInt8]] = []
        var bytes = 0
        var dropped = 0
        var totalDropped = 0
        var writing = false
        var wakeUps = 0
    }

    /// Starts the writing thread for `target`; the drop notice is written in `format` with
    /// timestamps from `clock`.
    public init(
        _ target: any LogWriter, format: LogFormat, clock: any LogClock, maxBacklogBytes: Int = 1 << 20,
        batchDelay: Duration = .milliseconds(5)
    ) {
        self.target = target
        self.batchDelay = batchDelay
        self.format = format
        self.clock = clock
        self.maxBacklogBytes = maxBacklogBytes
        let thread = Thread { [self] in drainForever() }
        thread.name = "persona-log"
        thread.start()
    }

    /// Queues `line`; returns at once. The writing thread is woken only when the queue was
    /// empty (it takes the whole queue each time it wakes), so a busy loop pays for the wake-up
    /// once per batch, not once per line.
    public func write(line: [UInt8]) {
        let wake = state.withLock { state -> Bool in
            guard state.bytes + line.count <= maxBacklogBytes else {
                state.dropped += 1
                state.totalDropped += 1
                return false
            }
            state.lines.append(line)
            state.bytes += line.count
            return state.lines.count == 1
        }
        if wake { ready.signal() }
    }

    /// Batches taken from the queue so far (each a wake-up of the writing thread).
    package var wakeUps: Int { state.withLock { $0.wakeUps } }

    /// Lines dropped so far because the backlog was full.
    public var droppedLines: Int { state.withLock { $0.totalDropped } }

    /// True once every queued line has been handed to the target.
    public var isIdle: Bool { state.withLock { $0.lines.isEmpty && !$0.writing } }

    /// Waits until the queue is empty or `seconds` pass; true when it emptied. For shutdown.
    @discardableResult
    public func flush(seconds: Double = 2) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !isIdle {
            if Date() >= deadline { return false }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return true
    }

    private func drainForever() {
        while true {
            ready.wait()
            if batchDelay > .zero {
                let parts = batchDelay.components
                Thread.sleep(forTimeInterval: Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
            }
            let (batch, dropped) = state.withLock { state -> ([[UInt8]], Int) in
                state.wakeUps += 1
                let batch = state.lines
                let dropped = state.dropped
                state.lines.removeAll(keepingCapacity: true)
                state.bytes = 0
                state.dropped = 0
                state.writing = true
                return (batch, dropped)
            }
            if dropped > 0 {
                let notice = LogRecord(
                    time: clock.now(), level: .warning, label: "persona.log", message: "log lines dropped",
                    fields: [LogField("count", LogValue.int(dropped))])
                target.write(line: Array(format.render(notice).utf8))
            }
            for line in batch { target.write(line: line) }
            state.withLock { $0.writing = false }
        }
    }
}
