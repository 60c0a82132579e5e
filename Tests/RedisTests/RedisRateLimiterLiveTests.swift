import Foundation
import PersonaTestSupport
import Policies
import Reactor
import Redis
import Testing

/// The shared GCRA limit against a real `redis-server`, checked from two clients standing for
/// two nodes.
@Suite("Redis rate limiter, live", .serialized)
struct RedisRateLimiterLiveTests {
    let harness: RedisLoopHarness

    init() throws {
        harness = try RedisLoopHarness()
    }

    func limiter(_ server: RedisServerProcess) throws -> LoopBound<RedisRateLimiter> {
        let client = try harness.client(try RedisConfiguration(url: "redis://127.0.0.1:\(server.port)"))
        return try harness.run { done in done(LoopBound(RedisRateLimiter(client: client.value), loop: client.loop)) }
    }

    func check(_ limiter: LoopBound<RedisRateLimiter>, _ key: String, cost: Int = 1) throws -> Result<RateLimitDecision, RedisError> {
        try harness.run { done in
            limiter.value.check(key: key, rate: Rate(count: 1, per: .seconds(60))!, burst: 5, cost: cost) { done($0) }
        }
    }

    @Test("counts a client's flood once across two nodes: a burst of 5 is 5 in total, not 5 per node")
    func sharedAcrossNodes() throws {
        let server = try RedisServerProcess()
        let nodeA = try limiter(server)
        let nodeB = try limiter(server)
        var allowed = 0
        var limited: [Int64] = []
        for index in 0..<10 {
            switch try check(index % 2 == 0 ? nodeA : nodeB, "client-1").get() {
            case .allowed: allowed += 1
            case .limited(let retryAfter): limited.append(retryAfter)
            case .exceedsBurst: Issue.record("cost 1 never exceeds a burst of 5")
            }
        }
        #expect(allowed == 5)
        #expect(limited.count == 5)
        // One token per minute: the next one is a little under 60 s away.
        #expect(limited.allSatisfy { $0 > 59_000 && $0 <= 60_000 }, "\(limited)")
        // Another client has its own budget.
        #expect(try check(nodeB, "client-2").get() == .allowed(remaining: 4))
        // The key expires when the bucket would be full again (5 events × 60 s ahead).
        let ttl: Result<RESPValue, RedisError> = try harness.run { done in
            nodeA.value.client.send(["PTTL", "persona:rl:client-1"]) { done($0) }
        }
        let milliseconds = try ttl.get().int ?? -1
        #expect(milliseconds > 290_000 && milliseconds <= 300_001, "\(milliseconds)")
    }

    @Test("refuses a cost above the burst without asking Redis, and reports Redis being down as unavailable")
    func edges() throws {
        let server = try RedisServerProcess()
        let node = try limiter(server)
        #expect(try check(node, "c", cost: 6).get() == .exceedsBurst)
        #expect(try check(node, "c", cost: 5).get() == .allowed(remaining: 0))
        server.kill()
        let outcome = try check(node, "c")
        switch outcome {
        case .failure(.connectionLost), .failure(.unavailable): break
        default: Issue.record("expected a typed error while Redis is down, got \(outcome)")
        }
    }
}
