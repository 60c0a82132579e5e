import Foundation
import PersonaTestSupport
import Redis
import Testing

@testable import PersonaServer

@Suite("Presence tracker and entries")
struct PresenceTrackerTests {
    static func entry(
        _ session: String, _ tenant: String?, kind: String = "bot", personality: String? = "parrot"
    )
        -> PresenceEntry
    {
        PresenceEntry(session: session, tenant: tenant, node: "node-a", kind: kind, personality: personality)
    }

    @Test("a beat renews every live session per tenant, no-tenant first; the next removes the gone ones")
    func beats() {
        var tracker = PresenceTracker()
        let first = tracker.beat([Self.entry("s1", "acme"), Self.entry("s2", nil), Self.entry("s3", "acme")])
        #expect(first.map(\.tenant) == [nil, "acme"])
        #expect(first[1].renew.map(\.session) == ["s1", "s3"])
        #expect(first.allSatisfy { $0.remove.isEmpty })
        let second = tracker.beat([Self.entry("s3", "acme")])
        #expect(
            second == [
                PresenceBatch(tenant: nil, renew: [], remove: ["s2"]),
                PresenceBatch(tenant: "acme", renew: [Self.entry("s3", "acme")], remove: ["s1"]),
            ])
        #expect(
            tracker.beat([Self.entry("s3", "acme")]) == [
                PresenceBatch(tenant: "acme", renew: [Self.entry("s3", "acme")], remove: [])
            ])
    }

    @Test("an ended session is removed once; one never written is not; stopping removes everything")
    func endedAndStop() {
        var tracker = PresenceTracker()
        _ = tracker.beat([Self.entry("s1", "acme"), Self.entry("s2", nil)])
        #expect(tracker.ended("s1") == PresenceBatch(tenant: "acme", renew: [], remove: ["s1"]))
        #expect(tracker.ended("s1") == nil)
        #expect(tracker.ended("never") == nil)
        #expect(
            tracker.beat([Self.entry("s2", nil)]) == [
                PresenceBatch(tenant: nil, renew: [Self.entry("s2", nil)], remove: [])
            ])
        #expect(tracker.removeAll() == [PresenceBatch(tenant: nil, renew: [], remove: ["s2"])])
        #expect(tracker.written.isEmpty)
    }

    @Test("a tenant with more sessions than the chunk size is renewed in several runs, removals in the first")
    func chunks() {
        var tracker = PresenceTracker(chunkSize: 2)
        _ = tracker.beat([Self.entry("gone", "t")])
        let batches = tracker.beat((1...5).map { Self.entry("s\($0)", "t") })
        #expect(batches.map(\.renew.count) == [2, 2, 1])
        #expect(batches.map(\.remove) == [["gone"], [], []])
    }

    @Test("an entry's stored value round-trips; malformed values are refused")
    func info() {
        for entry in [Self.entry("s1", "acme"), Self.entry("s2", nil, kind: "matching", personality: nil)] {
            #expect(PresenceEntry(session: entry.session, tenant: entry.tenant, info: entry.info) == entry)
        }
        for bad in ["", "node-a", "node-a\tbot", "\tbot\tparrot", "node-a\t\tparrot", "a\tb\tc\td"] {
            #expect(PresenceEntry(session: "s", tenant: nil, info: bad) == nil, "\(bad)")
        }
    }

    @Test("presence keys carry the tenant as hash tag; no tenant is '-', never a tenant's tag")
    func keys() throws {
        let configuration = NodeConfiguration(
            redis: try RedisConfiguration(url: "redis://127.0.0.1:1"), nodeID: "a")
        #expect(configuration.presenceKey(tenant: "acme") == "persona:presence:{t:acme}")
        #expect(configuration.presenceInfoKey(tenant: "acme") == "persona:presence:{t:acme}:info")
        #expect(configuration.presenceKey(tenant: nil) == "persona:presence:{-}")
        #expect(configuration.presenceKey(tenant: "-") == "persona:presence:{t:-}")
        #expect(NodeConfiguration.tenant(ofPresenceTag: NodeConfiguration.presenceTag("-")) == "-")
        #expect(NodeConfiguration.tenant(ofPresenceTag: NodeConfiguration.presenceTag(nil)) == nil)
    }
}

/// The presence scripts against a real `redis-server`, called as a node calls them.
@Suite(
    "Presence scripts (live redis-server)",
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: RedisServerProcess.executable), "needs redis-server")
)
struct PresenceScriptLiveTests {
    static let set = "persona:presence:{t:acme}"
    static let hash = "persona:presence:{t:acme}:info"

    static func renew(
        lifetime: Int = 60_000, max: Int = 100, node: String = "node-a", remove: [String] = [],
        _ sessions: [String]
    ) -> [String] {
        [
            "EVAL", NodeLink.renewPresenceScript, "2", set, hash, String(lifetime), String(max), node,
            String(remove.count),
        ]
            + remove + sessions.flatMap { [$0, node + "\tbot\tparrot"] }
    }

    static func read(limit: Int = 100) -> [String] {
        ["EVAL", NodeLink.readPresenceScript, "2", set, hash, String(limit)]
    }

    static func listed(_ result: Result<RESPValue, RedisError>) throws -> PresenceTenant {
        try #require(NodeLink.presenceTenant(try result.get(), tenant: "acme"))
    }

    @Test("a full tenant (maximum 2) refuses a third new session but still renews its two")
    func bound() throws {
        let link = try SharedMatchQueueLiveTests.Link()
        let first = try link.one(0, Self.renew(max: 2, ["s1", "s2", "s3"])).get().elements ?? []
        #expect(first.prefix(2).map(\.int) == [2, 1])
        let again = try link.one(1, Self.renew(max: 2, ["s1", "s2"])).get().elements ?? []
        #expect(again.prefix(2).map(\.int) == [2, 0])
        let listing = try Self.listed(try link.one(0, Self.read()))
        #expect(listing.online == 2 && listing.sessions.map(\.session) == ["s1", "s2"])
    }

    @Test("entries not renewed within their lifetime vanish from the listing and from both keys")
    func expiry() throws {
        let link = try SharedMatchQueueLiveTests.Link()
        _ = try link.one(0, Self.renew(lifetime: 150, ["s1"])).get()
        _ = try link.one(1, Self.renew(lifetime: 60_000, ["s2"])).get()
        #expect(try Self.listed(try link.one(0, Self.read())).online == 2)
        usleep(300_000)
        let listing = try Self.listed(try link.one(0, Self.read()))
        #expect(listing.online == 1 && listing.sessions.map(\.session) == ["s2"])
        #expect(try link.one(0, ["HKEYS", Self.hash]).get().elements?.compactMap(\.string) == ["s2"])
    }

    @Test(
        "a removal deletes the session's entry; the last one leaves no key behind; the listing is cut at its limit"
    )
    func removalAndLimit() throws {
        let link = try SharedMatchQueueLiveTests.Link()
        _ = try link.one(0, Self.renew(["s1", "s2", "s3"])).get()
        let cut = try Self.listed(try link.one(0, Self.read(limit: 2)))
        #expect(cut.online == 3 && cut.sessions.count == 2)
        _ = try link.one(0, Self.renew(remove: ["s1", "s2", "s3"], [])).get()
        #expect(try link.one(0, ["EXISTS", Self.set, Self.hash]).get().int == 0)
    }

    @Test("a node removes only its own entries: a session another node resumed stays listed under that node")
    func removalOnlyOwn() throws {
        let link = try SharedMatchQueueLiveTests.Link()
        _ = try link.one(0, Self.renew(node: "node-a", ["s1", "s2"])).get()
        _ = try link.one(1, Self.renew(node: "node-b", ["s1"])).get()
        _ = try link.one(0, Self.renew(node: "node-a", remove: ["s1", "s2"], [])).get()
        let listing = try Self.listed(try link.one(0, Self.read()))
        #expect(listing.sessions.map { [$0.session, $0.node] } == [["s1", "node-b"]])
    }
}
