import Dispatch
import Observability
import PersonaServer
import PersonaTestSupport
import Synchronization
import Testing

/// A writer that records lines and can be made to block, like a pipe nobody reads.
private final class GatedWriter: LogWriter {
    let lines = Mutex<[String]>([])
    let entered = Waiter()
    let gate = DispatchSemaphore(value: 0)
    let blocking: Bool

    init(blocking: Bool) { self.blocking = blocking }

    func write(line: [UInt8]) {
        if blocking && lines.withLock({ $0.isEmpty }) {
            entered.signal()
            gate.wait()
        }
        lines.withLock { $0.append(String(decoding: line, as: UTF8.self)) }
    }
}

private struct FixedClock: LogClock {
    func now() -> LogTimestamp { LogTimestamp(nanosecondsSinceEpoch: 0) }
}

@Suite("Background log writer: logging never blocks a loop")
struct BackgroundLogWriterTests {
    @Test("writes return at once while the target is stalled, and every line arrives once it resumes")
    func stalledTargetDoesNotBlock() {
        let target = GatedWriter(blocking: true)
        let writer = BackgroundLogWriter(target, format: .logfmt, clock: FixedClock())
        writer.write(line: Array("first\n".utf8))
        #expect(target.entered.wait(seconds: 10), "the writing thread never reached the target")
        let returned = Waiter()
        DispatchQueue.global().async {
            for index in 0..<100 { writer.write(line: Array("line \(index)\n".utf8)) }
            returned.signal()
        }
        #expect(returned.wait(seconds: 10), "write blocked behind a stalled target")
        target.gate.signal()
        #expect(writer.flush(seconds: 10))
        let lines = target.lines.withLock { $0 }
        #expect(lines.count == 101)
        #expect(lines.first == "first\n" && lines.last == "line 99\n")
        #expect(writer.droppedLines == 0)
    }

    @Test("lines written in a burst reach the target in a few batches, not one wake-up per line")
    func burstsAreBatched() {
        let target = GatedWriter(blocking: false)
        let writer = BackgroundLogWriter(target, format: .logfmt, clock: FixedClock(), batchDelay: .milliseconds(50))
        for index in 0..<1_000 { writer.write(line: Array("line \(index)\n".utf8)) }
        #expect(writer.flush(seconds: 10))
        #expect(target.lines.withLock { $0.count } == 1_000)
        // One wake-up for the first line; lines written during its 50 ms delay join its batch.
        #expect(writer.wakeUps <= 3, "\(writer.wakeUps) wake-ups for 1,000 lines")
    }

    @Test("accepts lines up to max_backlog_bytes, drops one past it, and says how many it dropped")
    func dropsPastTheBound() {
        let target = GatedWriter(blocking: true)
        let writer = BackgroundLogWriter(target, format: .logfmt, clock: FixedClock(), maxBacklogBytes: 100)
        writer.write(line: Array("first\n".utf8))
        #expect(target.entered.wait(seconds: 10))
        // The first line is with the target; the queue is empty. Ten 10-byte lines fill it to
        // exactly 100 bytes; the eleventh is one past the bound.
        for index in 0..<11 { writer.write(line: Array("line \(index)...\n".utf8.prefix(10))) }
        #expect(writer.droppedLines == 1)
        target.gate.signal()
        #expect(writer.flush(seconds: 10))
        let lines = target.lines.withLock { $0 }
        #expect(lines.count == 12)
        #expect(lines[1].contains("msg=\"log lines dropped\"") && lines[1].contains("count=1"), "\(lines[1])")
    }
}
