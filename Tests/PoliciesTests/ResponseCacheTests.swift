import Policies
import Testing

@Suite("Response cache")
struct ResponseCacheTests {
    static let policy = ResponseCachePolicy(mode: .exact, ttl: .seconds(60))

    static func key(
        _ input: String, personality: String = "pirate", version: String = "v1",
        scope: String = "tenant-a", state: UInt64 = 0
    ) -> ResponseCacheKey {
        ResponseCacheKey(
            personality: personality, version: version, scope: scope, input: input, stateDigest: state)
    }

    @Test("a hit replays the stored tokens in order, not one lump")
    func hitReplaysTokens() {
        var cache = ResponseCache()
        let clock = ManualClock()
        let tokens = ["Ahoy", ",", " matey", "!"]
        #expect(
            cache.store(
                Self.key("hello"), tokens: tokens, traits: ReplyTraits(), policy: Self.policy,
                now: clock.now()) == .stored)
        #expect(cache.lookup(Self.key("hello"), policy: Self.policy, now: clock.now()) == tokens)
        #expect(cache.counters.hits == 1)
        #expect(cache.lookup(Self.key("goodbye"), policy: Self.policy, now: clock.now()) == nil)
        #expect(cache.counters.misses == 1)
    }

    @Test("inputs match after normalisation: case, width, zero-width and whitespace")
    func normalisation() {
        #expect(ResponseCacheKey.normalize("  Hello \t  WORLD\n") == "hello world")
        #expect(ResponseCacheKey.normalize("ＨＥＬＬＯ") == "hello")
        #expect(ResponseCacheKey.normalize("hel\u{200B}lo\u{00A0}there") == "hello there")
        #expect(ResponseCacheKey.normalize("hi!") != ResponseCacheKey.normalize("hi?"))
        #expect(Self.key("Hello  World") == Self.key("hello world"))
    }

    @Test("a new personality version never serves the old version's entries")
    func versionChangeInvalidates() {
        var cache = ResponseCache()
        let clock = ManualClock()
        cache.store(
            Self.key("hi", version: "v1"), tokens: ["old"], traits: ReplyTraits(), policy: Self.policy,
            now: clock.now())
        #expect(cache.lookup(Self.key("hi", version: "v2"), policy: Self.policy, now: clock.now()) == nil)
        #expect(cache.invalidate(personality: "pirate") == 1)
        #expect(cache.count == 0)
        #expect(cache.counters.evictedInvalidated == 1)
    }

    @Test("replies that used randomness or changed state are refused unless declared cache-safe")
    func refusals() {
        var cache = ResponseCache()
        let clock = ManualClock()
        let random = ReplyTraits(usedRandomness: true)
        let stateful = ReplyTraits(changedSessionState: true)
        #expect(
            cache.store(Self.key("a"), tokens: ["x"], traits: random, policy: Self.policy, now: clock.now())
                == .refusedRandom)
        #expect(
            cache.store(Self.key("b"), tokens: ["x"], traits: stateful, policy: Self.policy, now: clock.now())
                == .refusedStateChange)
        #expect(
            cache.store(
                Self.key("c"), tokens: ["x"], traits: ReplyTraits(), policy: ResponseCachePolicy(),
                now: clock.now())
                == .refusedCachingOff)
        var safe = Self.policy
        safe.randomRepliesAreCacheSafe = true
        safe.stateChangingRepliesAreCacheSafe = true
        #expect(
            cache.store(Self.key("a"), tokens: ["x"], traits: random, policy: safe, now: clock.now())
                == .stored)
        #expect(
            cache.store(Self.key("b"), tokens: ["x"], traits: stateful, policy: safe, now: clock.now())
                == .stored)
        #expect(cache.counters.storesRefused == 3)
        #expect(cache.lookup(Self.key("c"), policy: ResponseCachePolicy(), now: clock.now()) == nil)
        #expect(cache.counters.misses == 0, "mode off neither looks up nor counts")
    }

    @Test("tenants, clients and session states never see each other's entries")
    func scopes() {
        var cache = ResponseCache()
        let clock = ManualClock()
        cache.store(
            Self.key("balance", scope: "tenant-a"), tokens: ["A's reply"], traits: ReplyTraits(),
            policy: Self.policy, now: clock.now())
        #expect(
            cache.lookup(Self.key("balance", scope: "tenant-b"), policy: Self.policy, now: clock.now()) == nil
        )
        #expect(
            cache.lookup(Self.key("balance", personality: "other"), policy: Self.policy, now: clock.now())
                == nil)
        #expect(cache.lookup(Self.key("balance", state: 42), policy: Self.policy, now: clock.now()) == nil)
        #expect(
            cache.lookup(Self.key("balance", scope: "tenant-a"), policy: Self.policy, now: clock.now()) == [
                "A's reply"
            ])
    }

    @Test("entries expire at their TTL, not a nanosecond earlier")
    func ttl() {
        var cache = ResponseCache()
        let clock = ManualClock()
        cache.store(
            Self.key("hi"), tokens: ["x"], traits: ReplyTraits(), policy: Self.policy, now: clock.now())
        clock.advance(by: .seconds(60) - .nanoseconds(1))
        #expect(cache.lookup(Self.key("hi"), policy: Self.policy, now: clock.now()) != nil)
        clock.advance(by: .nanoseconds(1))
        #expect(cache.lookup(Self.key("hi"), policy: Self.policy, now: clock.now()) == nil)
        #expect(cache.counters.evictedExpired == 1)
        #expect(cache.count == 0)
    }

    @Test("the least recently used entry goes first when the entry bound is exceeded by one")
    func lruOrder() {
        var cache = ResponseCache(configuration: ResponseCacheConfiguration(maxEntries: 3))
        let clock = ManualClock()
        for input in ["a", "b", "c"] {
            cache.store(
                Self.key(input), tokens: [input], traits: ReplyTraits(), policy: Self.policy, now: clock.now()
            )
        }
        _ = cache.lookup(Self.key("a"), policy: Self.policy, now: clock.now())  // a is now most recent
        cache.store(
            Self.key("d"), tokens: ["d"], traits: ReplyTraits(), policy: Self.policy, now: clock.now())
        #expect(cache.count == 3)
        #expect(cache.keysByRecency.map(\.input) == ["d", "a", "c"])
        #expect(cache.counters.evictedCount == 1)
    }

    @Test("the byte bound holds, counting keys and tokens")
    func byteBound() {
        let key = Self.key("q0")
        let entry = ResponseCache.entryBytes(key: key, tokens: ["0123456789"])
        var cache = ResponseCache(
            configuration: ResponseCacheConfiguration(maxEntries: 100, maxBytes: entry * 4))
        let clock = ManualClock()
        for index in 0..<4 {
            cache.store(
                Self.key("q\(index)"), tokens: ["0123456789"], traits: ReplyTraits(), policy: Self.policy,
                now: clock.now())
        }
        #expect(cache.count == 4)
        #expect(cache.byteCount == entry * 4)
        cache.store(
            Self.key("q4"), tokens: ["0123456789"], traits: ReplyTraits(), policy: Self.policy,
            now: clock.now())
        #expect(cache.count == 4)
        #expect(cache.byteCount <= entry * 4)
        #expect(cache.counters.evictedBytes == 1)
        #expect(cache.lookup(Self.key("q0"), policy: Self.policy, now: clock.now()) == nil)
        // An entry alone larger than the personality's limit is refused, by exactly one byte.
        var tight = Self.policy
        tight.maxEntryBytes = entry - 1
        #expect(
            cache.store(
                Self.key("q9"), tokens: ["0123456789"], traits: ReplyTraits(), policy: tight, now: clock.now()
            ) == .refusedTooLarge)
        tight.maxEntryBytes = entry
        #expect(
            cache.store(
                Self.key("q9"), tokens: ["0123456789"], traits: ReplyTraits(), policy: tight, now: clock.now()
            ) == .stored)
    }

    @Test("storing the same key again replaces the entry without leaking bytes")
    func replace() {
        var cache = ResponseCache()
        let clock = ManualClock()
        cache.store(
            Self.key("hi"), tokens: ["one"], traits: ReplyTraits(), policy: Self.policy, now: clock.now())
        let bytes = cache.byteCount
        cache.store(
            Self.key("hi"), tokens: ["two"], traits: ReplyTraits(), policy: Self.policy, now: clock.now())
        #expect(cache.count == 1)
        #expect(cache.byteCount == bytes)
        #expect(cache.lookup(Self.key("hi"), policy: Self.policy, now: clock.now()) == ["two"])
    }

    @Test("removeExpired sweeps only expired entries")
    func sweep() {
        var cache = ResponseCache()
        let clock = ManualClock()
        var short = Self.policy
        short.ttl = .seconds(1)
        cache.store(Self.key("short"), tokens: ["x"], traits: ReplyTraits(), policy: short, now: clock.now())
        cache.store(
            Self.key("long"), tokens: ["y"], traits: ReplyTraits(), policy: Self.policy, now: clock.now())
        clock.advance(by: .seconds(2))
        #expect(cache.removeExpired(now: clock.now()) == 1)
        #expect(cache.keysByRecency.map(\.input) == ["long"])
    }
}
