import ChatProtocol
import PersonaRuntime
import Personality
import Testing

@Suite("Fallback routing")
struct RoutingTests {
    static let tenantBot = """
        id: acme-bot
        name: Acme Helper
        tags: [support]
        language: en
        tenant: acme
        engine: script
        limits: base
        script:
          fallback: ["Acme here."]
        """

    static let routing = """
        matchmaking: { timeout: 5s, humans_first: false }
        fallback:
          default: ada
          candidates:
            - { personality: ada, weight: 3 }
            - { personality: parrot, weight: 1 }
            - { personality: acme-bot, weight: 5, tenants: [acme] }
        """

    func picks(_ harness: HubHarness, _ filters: RandomFilters, client: ClientIdentity? = nil, count: Int)
        -> [String: Int]
    {
        var counts: [String: Int] = [:]
        for _ in 0..<count {
            let connection = harness.open(client: client)
            harness.send(connection, .start(StartRequest(mode: .random(filters))))
            for case .sessionStarted(let start) in harness.take(connection) {
                counts[start.personality?.id ?? "human", default: 0] += 1
            }
            harness.perform(harness.hub.connectionClosed(connection))
        }
        return counts
    }

    @Test("with humans_first off a random session gets a bot at once, picked by weight")
    func weights() {
        let harness = HubHarness(files: Fixtures.files(routing: Self.routing, extra: [Self.tenantBot]))
        let counts = picks(harness, RandomFilters(), count: 400)
        #expect(counts.keys.sorted() == ["ada", "parrot"])
        // 3:1 weights over 400 seeded picks: ada within 300 ± 40.
        #expect((260...340).contains(counts["ada"] ?? 0), "\(counts)")
        #expect(harness.hub.counters.fallbacks == 400)
    }

    @Test("tenant-restricted candidates serve only their tenant, and tags filter candidates")
    func tenantAndTags() {
        let harness = HubHarness(files: Fixtures.files(routing: Self.routing, extra: [Self.tenantBot]))
        #expect(picks(harness, RandomFilters(tags: ["support"], tenant: "acme"), count: 5) == ["acme-bot": 5])
        #expect(
            picks(
                harness, RandomFilters(tags: ["support"]), client: ClientIdentity(key: "k", tenant: "acme"),
                count: 3) == ["acme-bot": 3])
        #expect(picks(harness, RandomFilters(tags: ["bird"]), count: 3) == ["parrot": 3])
        // Nobody carries the tag: the default serves.
        #expect(picks(harness, RandomFilters(tags: ["support"], tenant: "globex"), count: 2) == ["ada": 2])
    }
}
