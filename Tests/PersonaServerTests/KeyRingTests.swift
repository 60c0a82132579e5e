import Foundation
import PersonaRuntime
import Testing

@testable import PersonaServer

@Suite("API keys: only digests kept, one answer for every bad key, expiry to the second")
struct KeyRingTests {
    @Test("a created key verifies; malformed, unknown, wrong, revoked and expired keys all verify to nil")
    func verification() throws {
        let ring = KeyRing()
        let (key, text) = try ring.create(KeyRing.Request(tenant: "acme", tier: "free", expiresAt: 1_000), now: 10)
        #expect(ring.verify(text, now: 999)?.id == key.id)
        #expect(ring.verify(text, now: 1_000) == nil, "expired at its expiry second")
        #expect(ring.verify("pk_nothing", now: 10) == nil)
        #expect(ring.verify("pk_" + key.id + "_" + String(repeating: "0", count: 64), now: 10) == nil)
        #expect(ring.verify("pk_000000000000_" + text.suffix(64), now: 10) == nil)
        #expect(ring.verify(text + "0", now: 10) == nil)
        _ = try ring.revoke(key.id)
        #expect(ring.verify(text, now: 10) == nil)
        #expect(try ring.revoke("nope") == nil)
    }

    @Test("the key's identity carries its tenant, tier and allow-list; the quota key names the id, not the secret")
    func identity() throws {
        let ring = KeyRing()
        let (key, text) = try ring.create(
            KeyRing.Request(tenant: "acme", tier: "pro", personalities: ["parrot"]), now: 0)
        let client = key.clientIdentity
        #expect(client.key == "key:" + key.id && !client.key.contains(String(text.suffix(64))))
        #expect(client.tenant == "acme" && client.tier == "pro")
        #expect(client.mayUse("parrot") && !client.mayUse("echo"))
    }

    @Test("keys.yaml keeps the records and digests, never the secret, and reads back equal")
    func file() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("keys.yaml").path
        let ring = try KeyRing(file: path)
        let (first, text) = try ring.create(
            KeyRing.Request(tenant: "acme", tier: "free", personalities: ["a", "b"], origins: ["https://x.example"], expiresAt: 99),
            now: 5)
        let (second, _) = try ring.create(KeyRing.Request(tenant: "t.q-2"), now: 6)
        _ = try ring.revoke(second.id)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!written.contains(String(text.suffix(64))))
        #expect(written.contains(first.secretDigest))
        let reread = try KeyRing(file: path)
        #expect(reread.list() == ring.list())
        #expect(reread.verify(text, now: 6)?.id == first.id)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("malformed tenants, tiers and origins are refused; the key limit is refused one past its edge")
    func refusals() throws {
        let ring = KeyRing(maxKeys: 2)
        #expect(throws: KeyRing.Refusal.self) { try ring.create(KeyRing.Request(tenant: ""), now: 0) }
        #expect(throws: KeyRing.Refusal.self) { try ring.create(KeyRing.Request(tenant: "a b"), now: 0) }
        #expect(throws: KeyRing.Refusal.self) { try ring.create(KeyRing.Request(tenant: "a", tier: "x/y"), now: 0) }
        #expect(throws: KeyRing.Refusal.self) { try ring.create(KeyRing.Request(tenant: "a", origins: ["evil"]), now: 0) }
        _ = try ring.create(KeyRing.Request(tenant: "a"), now: 0)
        _ = try ring.create(KeyRing.Request(tenant: "a"), now: 0)
        #expect(throws: KeyRing.Refusal.full(2)) { try ring.create(KeyRing.Request(tenant: "a"), now: 0) }
    }

    @Test("a WebSocket ticket is valid for 30 s and one use; the ticket limit is refused one past its edge")
    func tickets() {
        let office = WebSocketTickets(maxTickets: 2)
        let first = office.issue(for: "k1", now: 100)!
        #expect(office.redeem(first, now: 129) == "k1")
        #expect(office.redeem(first, now: 129) == nil)
        let second = office.issue(for: "k2", now: 100)!
        #expect(office.redeem(second, now: 130) == nil)
        _ = office.issue(for: "k3", now: 200)
        _ = office.issue(for: "k4", now: 200)
        #expect(office.issue(for: "k5", now: 200) == nil)
        #expect(office.issue(for: "k5", now: 231) != nil, "expired tickets are swept to make room")
    }
}
