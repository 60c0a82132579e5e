import Redis
import Testing

@Suite("Redis reconnect backoff")
struct RedisBackoffTests {
    @Test("doubles from the base and stops at the cap")
    func steps() {
        let backoff = RedisBackoff(base: .milliseconds(50), cap: .seconds(1))
        #expect((0..<7).map { backoff.step(attempt: $0) } == [
            .milliseconds(50), .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
            .seconds(1), .seconds(1),
        ])
        #expect(backoff.step(attempt: 10_000) == .seconds(1))
    }

    @Test("jitters between half the step and the whole step")
    func jitter() {
        let backoff = RedisBackoff(base: .milliseconds(100), cap: .seconds(5))
        #expect(backoff.delay(attempt: 2, unit: 0) == .milliseconds(200))
        #expect(backoff.delay(attempt: 2, unit: 1) == .milliseconds(400))
        #expect(backoff.delay(attempt: 2, unit: 0.5) == .milliseconds(300))
        #expect(backoff.delay(attempt: 2, unit: 7) == .milliseconds(400))
    }
}
