import Foundation
import PersonaTestSupport
import Reactor
import Redis
import TLS
import Testing

/// Reconnects and TLS against a real `redis-server`.
@Suite("Redis client reconnects and TLS, live", .serialized)
struct RedisReconnectLiveTests {
    let harness: RedisLoopHarness

    init() throws {
        harness = try RedisLoopHarness()
    }

    @Test("reconnects by itself after the server is killed and restarted, subscriptions included")
    func reconnectAfterKill() throws {
        let server = try RedisServerProcess()
        var configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(server.port)")
        configuration.backoff = RedisBackoff(base: .milliseconds(20), cap: .milliseconds(200))
        let client = try harness.client(configuration)
        defer { harness.close(client) }
        let inbox = Locked<[String]>([])
        let subscribed = Locked<Int>(0)
        let loop = harness.loop
        let subscriber: LoopBound<RedisSubscriber> = try harness.run { [configuration] done in
            let subscriber = try! RedisSubscriber(configuration: configuration, loop: loop)
            subscriber.onMessage = { _, payload in inbox.withLock { $0.append(String(decoding: payload, as: UTF8.self)) } }
            subscriber.onSubscribed = { _ in subscribed.withLock { $0 += 1 } }
            subscriber.subscribe(["relay"])
            subscriber.start()
            done(LoopBound(subscriber, loop: loop))
        }
        defer { _ = try? harness.run { (done: @escaping @Sendable (Bool) -> Void) in subscriber.value.close(); done(true) } }
        try harness.wait("subscribed") { subscribed.value == 1 }
        #expect(try harness.send(client, ["SET", "k", "before"]).get() == .simpleString("OK"))
        #expect(try harness.send(client, ["PUBLISH", "relay", "one"]).get() == .integer(1))
        // Wait for it before the kill: PUBLISH is answered once Redis has queued the push, and
        // Redis may write the publisher's answer before the subscriber's push; a kill in
        // between loses the push (pub/sub delivers at most once). On a busy machine the full
        // suite hit exactly that: the subscriber saw only "two".
        try harness.wait("first message") { inbox.value == ["one"] }

        server.kill()
        // While it is down: a typed error, never a hang.
        let down = try harness.send(client, ["GET", "k"])
        switch down {
        case .failure(.connectionLost), .failure(.unavailable): break
        default: Issue.record("expected connectionLost or unavailable while down, got \(down)")
        }
        try harness.wait("noticed") { !client.value.isReady }

        try server.start()
        try harness.wait("client reconnected") { client.value.isReady && client.value.connectionsMade == 2 }
        try harness.wait("subscriber resubscribed") { subscribed.value == 2 }
        // The restarted server is empty (no persistence): the client talks to it, not a cache.
        #expect(try harness.send(client, ["GET", "k"]).get() == .null)
        #expect(try harness.send(client, ["PUBLISH", "relay", "two"]).get() == .integer(1))
        let arrived = Result { try harness.wait("second message") { inbox.value.count == 2 } }
        let made: Int = try harness.run { done in done(subscriber.value.client.connectionsMade) }
        if case .failure(let error) = arrived {
            Issue.record("\(error): inbox \(inbox.value), subscribed \(subscribed.value) times, \(made) subscriber connections")
        }
        #expect(inbox.value == ["one", "two"])
        #expect(made == 2)
    }

    @Test("backs off between failed attempts instead of spinning")
    func backsOff() throws {
        var configuration = RedisConfiguration(port: try RedisServerProcess.freePort())
        configuration.backoff = RedisBackoff(base: .milliseconds(100), cap: .milliseconds(100))
        let attempts = Locked<Int>(0)
        let loop = harness.loop
        let client: LoopBound<RedisClient> = try harness.run { [configuration] done in
            let client = try! RedisClient(configuration: configuration, loop: loop)
            client.onStatusChange = { status in if status == .connecting { attempts.withLock { $0 += 1 } } }
            client.start()
            done(LoopBound(client, loop: loop))
        }
        defer { harness.close(client) }
        Thread.sleep(forTimeInterval: 0.5)  // a window to count attempts in, not a wait for an event
        // Delays of 50–100 ms: at most 11 attempts in 0.5 s (one at once, then one per ≥50 ms) —
        // a client without backoff makes thousands; at least 2, so it does keep retrying (the
        // lower bound is loose because a loaded CI machine may delay the loop).
        #expect((2...11).contains(attempts.value), "\(attempts.value) attempts")
    }

    @Test("speaks TLS for rediss:// and refuses a certificate it cannot verify")
    func tls() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("persona-redis-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0)
        let server = try RedisServerProcess(tls: (certificate, key))

        var configuration = try RedisConfiguration(url: "rediss://127.0.0.1:\(server.port)")
        configuration.tls = TLSConfiguration(caFile: certificate)
        let client = try harness.client(configuration)
        defer { harness.close(client) }
        #expect(try harness.send(client, ["SET", "secret", "kept"]).get() == .simpleString("OK"))
        #expect(try harness.send(client, ["GET", "secret"]).get().string == "kept")

        // The same server checked against the system store: the self-signed certificate fails.
        var untrusted = configuration
        untrusted.tls = TLSConfiguration()
        let refused = try harness.client(untrusted)
        defer { harness.close(refused) }
        let outcome = try harness.send(refused, ["PING"])
        guard case .failure(.unavailable(_, let reason)) = outcome else {
            Issue.record("expected unavailable, got \(outcome)")
            return
        }
        #expect(reason.contains("certificate"), "\(reason)")
    }
}
