import Observability
import Policies
import Synchronization
import Testing

/// A clock the test moves by hand.
final class HandClock: PolicyClock {
    let instant = Mutex(PolicyInstant.zero)
    func now() -> PolicyInstant { instant.withLock { $0 } }
    func advance(_ duration: Duration) { instant.withLock { $0 = $0.advanced(by: duration) } }
}

@Suite("Refusals counted by reason and logged once per reason, source and interval")
struct ServerEventRecorderTests {
    @Test("the throttle lets one line per key through per interval and reports what it dropped")
    func throttle() {
        var throttle = EventThrottle(interval: .seconds(10), maxKeys: 2)
        let t0 = PolicyInstant.zero
        func at(_ milliseconds: Int64) -> PolicyInstant { t0.advanced(by: .milliseconds(milliseconds)) }
        #expect(throttle.record("a", now: at(0)) == .log(suppressed: 0))
        #expect(throttle.record("a", now: at(1_000)) == .suppress)
        #expect(throttle.record("b", now: at(0)) == .log(suppressed: 0))
        // Full (2 keys, both in their interval): a third key is logged but not remembered.
        #expect(throttle.record("c", now: at(5_000)) == .log(suppressed: 0))
        #expect(throttle.keyCount == 2)
        #expect(throttle.record("a", now: at(9_999)) == .suppress)
        #expect(throttle.record("a", now: at(10_000)) == .log(suppressed: 2))
        // Once "b"'s interval has passed it is swept to make room; "c" is then remembered.
        #expect(throttle.record("c", now: at(12_000)) == .log(suppressed: 0))
        #expect(throttle.record("c", now: at(13_000)) == .suppress)
        #expect(throttle.keyCount == 2)
    }

    @Test("counts every refusal but writes one line per reason and client per interval")
    func recorder() {
        let clock = HandClock()
        let sink = MemoryLogSink()
        let recorder = ServerEventRecorder(clock: clock, throttle: EventThrottle(interval: .seconds(10)))
        recorder.attach(Logger(label: "test", sink: sink, clock: FixedLogClock()))
        for _ in 0..<5 { recorder.refused(.connectionRate, client: "203.0.113.7", [LogField("status", 429)]) }
        recorder.refused(.connectionRate, client: "203.0.113.8")
        recorder.refused(.origin, client: "203.0.113.7")
        #expect(sink.records.count == 3)
        clock.advance(.seconds(10))
        recorder.refused(.connectionRate, client: "203.0.113.7")
        #expect(sink.records.count == 4)
        let last = sink.records[3]
        #expect(last["reason"] == "connection_rate" && last["suppressed"] == 4)
        #expect(last["client"] == .string(ServerEventRecorder.pseudonym("203.0.113.7")))
        #expect(last["client"] != sink.records[1]["client"])
        #expect(!sink.lines(.logfmt).joined().contains("203.0.113"))
        let counts = recorder.counts()
        #expect(counts.refusals[.connectionRate] == 7 && counts.refusals[.origin] == 1)
    }

    @Test("bounds the close-code and status label sets")
    func boundedLabels() {
        let recorder = ServerEventRecorder(clock: HandClock())
        recorder.webSocketClosed(code: 1009)
        recorder.webSocketClosed(code: 4321)
        recorder.webSocketClosed(code: 3999)
        recorder.httpError(status: 404)
        recorder.httpError(status: 200)
        let counts = recorder.counts()
        #expect(counts.webSocketCloses == ["1009": 1, "other": 2])
        #expect(counts.httpErrors == [404: 1])
    }
}
