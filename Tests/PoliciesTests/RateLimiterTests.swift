import PersonaTestSupport
import Policies
import Testing

@Suite("GCRA rate limiting with a manual clock")
struct RateLimiterTests {
    static func limiter(_ rate: String, burst: Int, maxKeys: Int = 100) throws -> KeyedRateLimiter<String> {
        KeyedRateLimiter(
            configuration: RateLimitConfiguration(
                rate: try Rate(parsing: rate), burst: burst, maxKeys: maxKeys))
    }

    @Test("allows exactly the burst back to back and refuses the one after it")
    func exactBurst() throws {
        var limiter = try Self.limiter("30/min", burst: 10)
        let clock = ManualClock()
        for expectedRemaining in (0..<10).reversed() {
            #expect(limiter.decide(key: "client", now: clock.now()) == .allowed(remaining: expectedRemaining))
        }
        // One past the limit: 30/min is one event per 2 s.
        #expect(limiter.decide(key: "client", now: clock.now()) == .limited(retryAfterMilliseconds: 2_000))
    }

    @Test("retry-after is exact: retrying at that moment succeeds, a millisecond earlier does not")
    func retryAfterIsExact() throws {
        var limiter = try Self.limiter("7/s", burst: 1)
        let clock = ManualClock()
        #expect(limiter.decide(key: "k", now: clock.now()).isAllowed)
        // 1/7 s = 142.857… ms, reported rounded up.
        guard case .limited(let wait) = limiter.decide(key: "k", now: clock.now()) else {
            Issue.record("expected limited")
            return
        }
        #expect(wait == 143)
        clock.advance(by: .milliseconds(142))
        #expect(!limiter.decide(key: "k", now: clock.now()).isAllowed)
        clock.advance(by: .milliseconds(1))
        #expect(limiter.decide(key: "k", now: clock.now()).isAllowed)
    }

    @Test("refills one event per emission interval")
    func refill() throws {
        var limiter = try Self.limiter("5/s", burst: 5)
        let clock = ManualClock()
        for _ in 0..<5 { #expect(limiter.decide(key: "k", now: clock.now()).isAllowed) }
        #expect(limiter.decide(key: "k", now: clock.now()) == .limited(retryAfterMilliseconds: 200))
        clock.advance(by: .milliseconds(600))
        #expect(limiter.decide(key: "k", now: clock.now()) == .allowed(remaining: 2))
        #expect(limiter.decide(key: "k", now: clock.now()) == .allowed(remaining: 1))
        #expect(limiter.decide(key: "k", now: clock.now()) == .allowed(remaining: 0))
        #expect(limiter.decide(key: "k", now: clock.now()) == .limited(retryAfterMilliseconds: 200))
        // A long pause refills to the burst, never beyond it.
        clock.advance(by: .seconds(3600))
        for _ in 0..<5 { #expect(limiter.decide(key: "k", now: clock.now()).isAllowed) }
        #expect(!limiter.decide(key: "k", now: clock.now()).isAllowed)
    }

    @Test("cost spends several events; a cost above the burst can never pass; cost 0 only asks")
    func cost() throws {
        var limiter = try Self.limiter("10/s", burst: 4)
        let clock = ManualClock()
        #expect(limiter.decide(key: "k", now: clock.now(), cost: 0) == .allowed(remaining: 4))
        #expect(limiter.count == 0, "asking does not create state")
        #expect(limiter.decide(key: "k", now: clock.now(), cost: 3) == .allowed(remaining: 1))
        #expect(limiter.decide(key: "k", now: clock.now(), cost: 2) == .limited(retryAfterMilliseconds: 100))
        #expect(limiter.decide(key: "k", now: clock.now(), cost: 5) == .exceedsBurst)
    }

    @Test("keys are independent")
    func keysAreIndependent() throws {
        var limiter = try Self.limiter("1/min", burst: 1)
        let clock = ManualClock()
        #expect(limiter.decide(key: "a", now: clock.now()).isAllowed)
        #expect(!limiter.decide(key: "a", now: clock.now()).isAllowed)
        #expect(limiter.decide(key: "b", now: clock.now()).isAllowed)
    }

    @Test("idle keys expire once their bucket is full again, and not before")
    func idleExpiry() throws {
        var limiter = try Self.limiter("1/s", burst: 3)
        let clock = ManualClock()
        for _ in 0..<3 { _ = limiter.decide(key: "k", now: clock.now()) }
        _ = limiter.decide(key: "other", now: clock.now())
        // "other" spent one event (full again after 1 s); "k" spent three (after 3 s).
        clock.advance(by: .milliseconds(999))
        #expect(limiter.sweep(now: clock.now()) == 0)
        clock.advance(by: .milliseconds(1))
        #expect(limiter.sweep(now: clock.now()) == 1)
        #expect(limiter.count == 1)
        clock.advance(by: .milliseconds(1999))
        #expect(limiter.sweep(now: clock.now()) == 0)
        clock.advance(by: .milliseconds(1))
        #expect(limiter.sweep(now: clock.now()) == 1)
        #expect(limiter.count == 0)
        #expect(limiter.idleKeysDropped == 2)
        // A forgotten key behaves exactly like a full one.
        for _ in 0..<3 { #expect(limiter.decide(key: "k", now: clock.now()).isAllowed) }
        #expect(!limiter.decide(key: "k", now: clock.now()).isAllowed)
    }

    @Test("holds at most maxKeys keys; one past the bound evicts the key closest to a full bucket")
    func maxKeysBound() throws {
        var limiter = try Self.limiter("1/min", burst: 5, maxKeys: 16)
        let clock = ManualClock()
        // Key i spends i+1 events, so key 0 carries the least debt.
        for key in 0..<16 {
            for _ in 0...(key % 5) { _ = limiter.decide(key: "key\(key)", now: clock.now()) }
        }
        #expect(limiter.count == 16)
        _ = limiter.decide(key: "newcomer", now: clock.now())
        #expect(limiter.count == 16, "the 17th key must not grow the table past the bound")
        #expect(limiter.keysEvicted == 1)
        // key0 (or another key with one event spent) was evicted, so it has a full burst again;
        // a heavily limited key was kept and is still limited.
        #expect(!limiter.decide(key: "key4", now: clock.now(), cost: 1).isAllowed)
    }

    @Test("prefers dropping idle keys over evicting active ones")
    func boundDropsIdleFirst() throws {
        var limiter = try Self.limiter("1/s", burst: 2, maxKeys: 4)
        let clock = ManualClock()
        _ = limiter.decide(key: "idle", now: clock.now())
        clock.advance(by: .seconds(5))
        for key in ["a", "b", "c"] { _ = limiter.decide(key: key, now: clock.now()) }
        _ = limiter.decide(key: "d", now: clock.now())
        #expect(limiter.count == 4)
        #expect(limiter.keysEvicted == 0)
        #expect(limiter.idleKeysDropped == 1)
    }

    @Test("the connection limiter counts IPv6 peers per /64 and IPv4 peers per address")
    func connectionLimiter() throws {
        var limiter = ConnectionRateLimiter(
            configuration: ConnectionRateLimitConfiguration(
                rate: try Rate(parsing: "1/s"), burst: 2, maxPeers: 100, ipv6PrefixLength: 64))
        let clock = ManualClock()
        let peerA: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]
        var peerB = peerA
        peerB[15] = 2  // same /64
        var peerC = peerA
        peerC[7] = 2  // different /64
        #expect(limiter.admit(ipv6: peerA, now: clock.now()).isAllowed)
        #expect(limiter.admit(ipv6: peerB, now: clock.now()).isAllowed)
        #expect(limiter.admit(ipv6: peerB, now: clock.now()) == .limited(retryAfterMilliseconds: 1000))
        #expect(limiter.admit(ipv6: peerC, now: clock.now()).isAllowed)
        #expect(limiter.admit(ipv4: 0x0A00_0001, now: clock.now()).isAllowed)
        #expect(limiter.admit(ipv4: 0x0A00_0002, now: clock.now()).isAllowed)
        #expect(limiter.count == 4)
    }

    @Test("the connection limiter tracks at most maxPeers peers")
    func connectionPeerBound() throws {
        var limiter = ConnectionRateLimiter(
            configuration: ConnectionRateLimitConfiguration(
                rate: try Rate(parsing: "1/min"), burst: 2, maxPeers: 2))
        let clock = ManualClock()
        _ = limiter.admit(ipv4: 1, now: clock.now())
        _ = limiter.admit(ipv4: 2, now: clock.now())
        #expect(limiter.count == 2)
        _ = limiter.admit(ipv4: 3, now: clock.now())
        #expect(limiter.count == 2)
    }

    @Test("time going backwards never grants extra events")
    func clockSkew() throws {
        var limiter = try Self.limiter("1/s", burst: 1)
        #expect(limiter.decide(key: "k", now: PolicyInstant(nanoseconds: 10_000_000_000)).isAllowed)
        #expect(!limiter.decide(key: "k", now: PolicyInstant(nanoseconds: 5_000_000_000)).isAllowed)
    }
}

@Suite("GCRA properties under random traffic")
struct RateLimiterPropertyTests {
    @Test("never admits more than burst + elapsed × rate, and a refused event's retry-after is honoured")
    func conformance() throws {
        var generator = SeededGenerator(seed: 0x6C2A)
        for _ in 0..<50 {
            let count = Int.random(in: 1...20, using: &generator)
            let periodMilliseconds = Int64.random(in: 100...5_000, using: &generator)
            let burst = Int.random(in: 1...10, using: &generator)
            let rate = try #require(Rate(count: count, per: .milliseconds(periodMilliseconds)))
            var limiter = KeyedRateLimiter<Int>(
                configuration: RateLimitConfiguration(rate: rate, burst: burst))
            let clock = ManualClock()
            let start = clock.now()
            var admitted = 0
            for _ in 0..<300 {
                clock.advance(
                    by: .milliseconds(
                        Int64.random(in: 0...(periodMilliseconds / Int64(count) + 1), using: &generator)))
                let cost = Int.random(in: 1...burst, using: &generator)
                switch limiter.decide(key: 7, now: clock.now(), cost: cost) {
                case .allowed:
                    admitted += cost
                case .limited(let wait):
                    // Waiting exactly the reported time must be enough.
                    var probe = limiter
                    let later = clock.now().advanced(by: .milliseconds(wait))
                    #expect(probe.decide(key: 7, now: later, cost: cost).isAllowed, "seed \(generator.seed)")
                case .exceedsBurst:
                    Issue.record("cost \(cost) never exceeds burst \(burst)")
                }
                let elapsed = Double(clock.now().nanoseconds - start.nanoseconds) / 1e6
                let ceiling = Double(burst) + elapsed / Double(periodMilliseconds) * Double(count)
                #expect(
                    Double(admitted) <= ceiling + 1e-9, "seed \(generator.seed): \(admitted) > \(ceiling)")
            }
        }
    }

    @Test("memory stays within maxKeys under a flood of distinct keys")
    func boundedUnderFlood() throws {
        var limiter = KeyedRateLimiter<Int>(
            configuration: RateLimitConfiguration(
                rate: try Rate(parsing: "1/min"), burst: 3, maxKeys: 100))
        let clock = ManualClock()
        for key in 0..<10_000 {
            _ = limiter.decide(key: key, now: clock.now())
            #expect(limiter.count <= 100)
            if key % 97 == 0 { clock.advance(by: .milliseconds(10)) }
        }
        #expect(limiter.keysEvicted > 0)
    }
}
