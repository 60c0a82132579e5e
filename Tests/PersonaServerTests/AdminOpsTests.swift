import ChatProtocol
import Dispatch
import Engines
import Foundation
import HTTP1
import HTTPServer
import JSON
import Observability
import PersonaServer
import Personality
import Reactor
import Synchronization
import PersonaRuntime
import Testing

/// Reports collected from another thread.
private final class ReportLog: Sendable {
    private let reports = Mutex<[ReloadReport]>([])
    func append(_ report: ReloadReport) { reports.withLock { $0.append(report) } }
    var first: ReloadReport? { reports.withLock { $0.first } }
}

private func text(_ file: SourceFile) -> String { String(decoding: file.bytes, as: UTF8.self) }

@Suite("Operations: /ready, /metrics, session log lines, --watch reloads")
struct AdminOpsTests {
    @Test(
        "/ready is 200 only when loaded, listening and not draining",
        arguments: [
            (true, true, false, 200), (false, true, false, 503), (true, false, false, 503),
            (true, true, true, 503),
        ])
    func ready(loaded: Bool, up: Bool, draining: Bool, status: Int) throws {
        let response = OpsRoutes.readyResponse(
            .init(registryLoaded: loaded, listenersUp: up, draining: draining))
        #expect(response.status.code == status)
        let body = try JSONValue(parsing: response.body)
        #expect(body["status"] == (status == 200 ? "ready" : "not_ready"))
        if draining { #expect(body["problems"] == ["draining"]) }
    }

    @Test("/metrics answers with the 0.0.4 content type over a real listener")
    func metricsRoute() throws {
        var router = HTTPRouter()
        OpsRoutes.add(
            to: &router, readiness: { .init(registryLoaded: true, listenersUp: true, draining: false) },
            stats: { AdminStats(connections: 3, registryVersion: "abc") }, renderer: MetricsRenderer())
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let server = HTTPServer(router: router, group: group)
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let port = try server.start(at: SocketAddress(host: "127.0.0.1", port: 0)).port
        let url = try HTTPClientURL(parsing: "http://127.0.0.1:\(port)")
        let metrics = try HTTPClient.perform(method: .get, url: url, path: "/metrics")
        #expect(metrics.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(metrics.text.contains("\npersona_connections 3\n"))
        #expect(metrics.text.contains(#"persona_registry_info{version="abc"} 1"#))
        #expect(try HTTPClient.perform(method: .get, url: url, path: "/ready").status.code == 200)
    }

    @Test("one log line per session lifecycle event, derived from the frames clients get")
    func sessionLog() {
        let sink = MemoryLogSink()
        var log = SessionEventLog(
            logger: Logger(label: "persona.sessions", sink: sink, clock: FixedLogClock()))
        let captain = PersonalityInfo(id: "captain", name: "Captain", version: "0011")
        log.observe(.matching(session: "s1", timeoutMilliseconds: 10_000, sessionRef: nil))
        log.observe(.sessionStarted(SessionStart(session: "s1", kind: .bot, personality: captain)))
        log.observe(.matching(session: "s2", timeoutMilliseconds: 10_000, sessionRef: nil))
        log.observe(.sessionStarted(SessionStart(session: "s2", kind: .human)))
        log.observe(.sessionStarted(SessionStart(session: "s3", kind: .bot, personality: captain)))
        log.observe(.token(session: "s3", reply: 1, delta: "my email is jane@example.com"))
        log.observe(
            .sessionEnded(session: "s3", reason: .personalityRemoved, farewell: "Bye jane@example.com"))
        #expect(
            sink.records.map { $0["event"] } == [
                "session_started", "session_fallback", "session_started", "session_matched",
                "session_started", "session_ended",
            ])
        #expect(sink.records[1]["personality"] == "captain" && sink.records[1]["version"] == "0011")
        #expect(sink.records[5]["reason"] == "personality_removed")
        #expect(!sink.lines(.json).joined().contains("jane"))
        #expect(log.waitingCount == 0)
    }

    @Test("a session whose client disconnected is logged like any other end")
    func disconnectEndsAreLogged() {
        let sink = MemoryLogSink()
        var log = SessionEventLog(
            logger: Logger(label: "persona.sessions", sink: sink, clock: FixedLogClock()))
        let captain = PersonalityInfo(id: "captain", name: "Captain", version: "0011")
        let gone = ConnectionID(7)
        log.observe(.sessionStarted(SessionStart(session: "s1", kind: .bot, personality: captain)), on: gone)
        log.observe(.sessionStarted(SessionStart(session: "s2", kind: .bot, personality: captain)), on: gone)
        log.observe(.sessionEnded(session: "s2", reason: .user, farewell: nil), on: gone)
        log.observe(.sessionStarted(SessionStart(session: "s3", kind: .bot, personality: captain)), on: ConnectionID(8))
        #expect(log.connectionClosed(gone) == 1)
        #expect(log.connectionClosed(gone) == 0)
        let last = sink.records.last
        #expect(last?["event"] == "session_ended" && last?["session"] == "s1")
        #expect(last?["reason"] == "user" && last?["cause"] == "disconnect")
        #expect(sink.records.filter { $0["event"] == "session_ended" }.count == 2)
    }

    @Test("one-shot sessions: one line each while quiet, counted per personality within the interval, flushed after it")
    func oneShotLines() {
        let sink = MemoryLogSink()
        let clock = ManualChatClock()
        var log = SessionEventLog(
            logger: Logger(label: "persona.sessions", sink: sink, clock: FixedLogClock()), clock: clock,
            oneShotInterval: .seconds(1))
        let captain = PersonalityInfo(id: "captain", name: "Captain", version: "0011")
        let parrot = PersonalityInfo(id: "parrot", name: "Parrot", version: "0002")
        func completion(_ id: String, _ personality: PersonalityInfo, on connection: UInt64) {
            log.expectOneShot(on: ConnectionID(connection))
            log.observe(.sessionStarted(SessionStart(session: id, kind: .bot, personality: personality)), on: ConnectionID(connection))
            #expect(log.connectionClosed(ConnectionID(connection)) == 0, "a one-shot end is no disconnect")
        }
        completion("s1", captain, on: 1)
        #expect(sink.records.count == 1)
        #expect(sink.records.last?["event"] == "session_one_shot" && sink.records.last?["session"] == "s1")
        #expect(sink.records.last?["personality"] == "captain" && sink.records.last?["reason"] == "user")
        clock.advance(by: .milliseconds(500))
        completion("s2", captain, on: 2)
        completion("s3", parrot, on: 3)
        completion("s4", captain, on: 4)
        #expect(sink.records.count == 1 && log.hasPendingOneShots, "ends within the interval are counted, not logged")
        clock.advance(by: .milliseconds(500))
        completion("s5", captain, on: 5)
        #expect(sink.records.count == 3 && !log.hasPendingOneShots)
        #expect(sink.records[1]["event"] == "sessions_one_shot" && sink.records[1]["personality"] == "captain")
        #expect(sink.records[1]["count"] == .int(3) && sink.records[2]["personality"] == "parrot" && sink.records[2]["count"] == .int(1))
        clock.advance(by: .milliseconds(200))
        completion("s6", parrot, on: 6)
        log.flushOneShots()
        #expect(sink.records.count == 4 && sink.records[3]["count"] == .int(1) && !log.hasPendingOneShots)
        clock.advance(by: .seconds(2))
        completion("s7", parrot, on: 7)
        #expect(sink.records.count == 5 && sink.records[4]["session"] == "s7", "after a quiet interval, one line each again")
    }

    /// A coordinator over a temporary folder, recording every report.
    private final class Folder: Sendable {
        let url: URL
        let coordinator: ReloadCoordinator
        init(_ files: [String: String]) throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent(
                "persona-watch-reload-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            for (name, text) in files { try Data(text.utf8).write(to: url.appendingPathComponent(name)) }
            let builder = RegistryBuilder(catalog: EngineRegistry.builtIn.catalog)
            let path = url.path
            let first = builder.build(paths: [path])
            coordinator = ReloadCoordinator(
                registry: Registry(first.snapshot ?? .empty), build: { builder.build(paths: [path]) }
            ) { _ in }
        }
        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: url.appendingPathComponent(name))
        }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    @Test("--watch reloads once per editor save, with the same result as SIGHUP's reload")
    func watchMatchesSighup() throws {
        let files = [
            "alpha.yaml": text(AdminFixtures.personality("alpha")),
            "beta.yaml": text(AdminFixtures.personality("beta")),
        ]
        let watched = try Folder(files)
        let signalled = try Folder(files)
        let group = try EventLoopGroup(loops: 1)
        defer { group.shutdown() }
        let reports = ReportLog()
        let reloaded = DispatchSemaphore(value: 0)
        let reloader = try WatchReloader(
            root: watched.url.path, loop: group.loops[0], coordinator: watched.coordinator,
            configuration: .init(quietPeriod: .milliseconds(100)),
            onReport: { report in
                reports.append(report)
                reloaded.signal()
            })
        defer { reloader.stop() }

        // The same edit in both folders: vim-style save of alpha (rename away, write, delete
        // backup) and a new personality.
        for folder in [watched, signalled] {
            try FileManager.default.moveItem(
                at: folder.url.appendingPathComponent("alpha.yaml"),
                to: folder.url.appendingPathComponent("alpha.yaml~"))
            try folder.write("alpha.yaml", text(AdminFixtures.personality("alpha", greeting: "Howdy!")))
            try FileManager.default.removeItem(at: folder.url.appendingPathComponent("alpha.yaml~"))
            try folder.write("gamma.yaml", text(AdminFixtures.personality("gamma")))
        }
        #expect(reloaded.wait(timeout: .now() + 10) == .success)
        let viaSighup = signalled.coordinator.reload(trigger: .sighup)
        let viaWatch = try #require(reports.first)
        #expect(viaWatch.outcome == .applied && viaWatch.trigger == .watch)
        #expect(viaWatch.diff == viaSighup.diff)
        #expect(viaWatch.servingVersion == viaSighup.servingVersion)
        #expect(viaWatch.diff?.added.map(\.id) == ["gamma"] && viaWatch.diff?.changed.map(\.id) == ["alpha"])
        #expect(watched.coordinator.reloadCounts.failed == 0)
    }
}
