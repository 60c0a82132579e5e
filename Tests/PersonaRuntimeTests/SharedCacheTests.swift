import ChatProtocol
import PersonaRuntime
import Testing

/// A shared cache in memory for two hubs standing in for two nodes: lookups wait until the
/// test answers them, as a real one answers later through the hub's loop.
private final class SharedEntries {
    var entries: [String: [String]] = [:]
}

private final class FakeSharedCache: SharedReplyCache {
    let shared: SharedEntries
    var lookups: [(key: String, ticket: StoreTicket)] = []
    var stored: [(key: String, tokens: [String], ttl: Duration)] = []

    init(_ shared: SharedEntries) { self.shared = shared }

    func lookup(_ key: String, ticket: StoreTicket) { lookups.append((key, ticket)) }

    func store(_ key: String, tokens: [String], ttl: Duration) {
        stored.append((key, tokens, ttl))
        shared.entries[key] = tokens
    }

    /// Answers every lookup so far from the entries, or as a cache that cannot answer.
    func answer(_ harness: HubHarness, failing: Bool = false) {
        let pending = lookups
        lookups = []
        for (key, ticket) in pending {
            harness.perform(harness.hub.sharedCacheAnswered(ticket, failing ? nil : shared.entries[key]))
        }
    }
}

@Suite("the response cache shared by several nodes")
struct SharedCacheTests {
    /// Two hubs on one shared cache.
    fileprivate func nodes() -> (a: HubHarness, b: HubHarness, cacheA: FakeSharedCache, cacheB: FakeSharedCache) {
        let entries = SharedEntries()
        let a = HubHarness()
        let b = HubHarness()
        let cacheA = FakeSharedCache(entries)
        let cacheB = FakeSharedCache(entries)
        a.hub.sharedCache = cacheA
        b.hub.sharedCache = cacheB
        return (a, b, cacheA, cacheB)
    }

    @Test("a reply one node filed is streamed by another from the shared cache, without its engine")
    func hitOnAnotherNode() {
        let (a, b, cacheA, cacheB) = nodes()
        let onA = a.open()
        let first = a.startDirect(onA, "ada")
        a.send(onA, .message(session: first, text: "hello", id: "m1"))
        #expect(cacheA.lookups.count == 1)
        #expect(a.take(onA).replyText(session: first).isEmpty, "the reply waits for the shared cache")
        cacheA.answer(a)
        #expect(a.take(onA).replyText(session: first) == "Hello! How can I help?")
        #expect(cacheA.stored.count == 1)
        #expect(cacheA.stored.first?.ttl == .seconds(600), "the personality's cache TTL")

        let onB = b.open()
        let second = b.startDirect(onB, "ada")
        b.send(onB, .message(session: second, text: "Hello", id: "m1"))
        #expect(cacheB.lookups.first?.key == cacheA.stored.first?.key, "the same key on both nodes")
        // What the cache holds is what is streamed: node b's engine is not asked.
        cacheB.shared.entries[cacheB.lookups[0].key] = ["Filed ", "by ", "node a."]
        cacheB.answer(b)
        let frames = b.take(onB)
        #expect(frames.replyText(session: second) == "Filed by node a.")
        #expect(frames.replyEnds.map(\.finish) == [.stop])
        #expect(b.hub.counters.cacheHits == 1 && b.hub.counters.cacheMisses == 0)
        #expect(cacheB.stored.isEmpty, "a reply from the shared cache is not filed again")
    }

    @Test("a shared cache that cannot answer is a miss: the engine replies")
    func failureIsAMiss() {
        let (a, _, cacheA, _) = nodes()
        let connection = a.open()
        let session = a.startDirect(connection, "ada")
        a.send(connection, .message(session: session, text: "hello", id: "m1"))
        cacheA.answer(a, failing: true)
        #expect(a.take(connection).replyText(session: session) == "Hello! How can I help?")
        #expect(a.hub.counters.cacheMisses == 1)
    }

    @Test("a reply cancelled while it waits for the shared cache ends cancelled; the late answer is ignored")
    func cancelWhileWaiting() {
        let (a, _, cacheA, _) = nodes()
        let connection = a.open()
        let session = a.startDirect(connection, "ada")
        a.send(connection, .message(session: session, text: "hello", id: "m1"))
        a.send(connection, .cancel(session: session))
        #expect(a.take(connection).replyEnds.map(\.finish) == [.cancelled])
        cacheA.answer(a)
        #expect(a.take(connection).isEmpty)
        #expect(cacheA.stored.isEmpty)
    }

    @Test("a personality whose cache is off never asks the shared cache")
    func offNeverAsks() {
        let (a, _, cacheA, _) = nodes()
        let connection = a.open()
        let session = a.startDirect(connection, "parrot")
        a.send(connection, .message(session: session, text: "hello", id: "m1"))
        #expect(cacheA.lookups.isEmpty)
        #expect(!a.take(connection).replyText(session: session).isEmpty)
    }
}
