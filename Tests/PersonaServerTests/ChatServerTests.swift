import ChatProtocol
import Foundation
import PersonaRuntime
import PersonaServer
import PersonaTestSupport
import Personality
import Reactor
import Testing

@Suite("ChatServer in-process")
struct ChatServerTests {
    let fixtures = PersonaBinary.packageRoot.appendingPathComponent("Tests/PersonaTests/Fixtures/chat").path

    private func token(_ frame: ServerMessage) -> String? {
        if case .token(_, _, let delta) = frame { return delta }
        return nil
    }

    @Test("a direct chat on /v1/ws streams the reply; shutdown ends the session and closes with 1001")
    func directAndShutdown() throws {
        let snapshot = try RegistryLoader(personalities: fixtures).load().snapshot
        let group = try EventLoopGroup(loops: 2)
        defer { group.shutdown() }
        let clients = try EventLoopGroup(loops: 1)
        defer { clients.shutdown() }
        let server = ChatServer(snapshot: snapshot, group: group)
        let port = try server.start(at: SocketAddress(host: "127.0.0.1", port: 0)).port
        let client = try ChatTestClient(port: port, loop: clients.loops[0])
        #expect(client.until { $0.type == "welcome" } != nil)
        client.send(.start(StartRequest(mode: .direct(personality: "parrot"))))
        let started = try #require(client.until { $0.type == "session_started" }?.last)
        let session = try #require(started.session)
        client.send(.message(session: session, text: "i am ivy", id: "1"))
        let frames = try #require(client.until { $0.type == "reply_end" })
        #expect(frames.compactMap(token).joined() == "hello ivy")
        #expect(frames.allSatisfy { $0.session == session })
        let statistics = server.statistics()
        #expect(statistics.sessions == 1)
        #expect(statistics.counters.tokensOut == 3)

        #expect(server.shutdown())
        let ended = try #require(client.until { $0.type == "session_ended" }?.last)
        #expect(ended == .sessionEnded(session: session, reason: .shutdown, farewell: "Squawk, goodbye!"))
        #expect(client.closeCode() == 1001)
    }

    @Test("random clients on a two-loop server are matched in pairs and relay to each other")
    func pairsAcrossLoops() throws {
        let snapshot = try RegistryLoader(personalities: fixtures, matchmakingTimeout: .seconds(20)).load()
            .snapshot
        let group = try EventLoopGroup(loops: 2)
        defer { group.shutdown() }
        let clientGroup = try EventLoopGroup(loops: 1)
        defer { clientGroup.shutdown() }
        let server = ChatServer(snapshot: snapshot, group: group)
        let port = try server.start(at: SocketAddress(host: "127.0.0.1", port: 0)).port
        // Eight clients: with two loops some pairs almost surely straddle loops (hub mail).
        var sessions: [String] = []
        var clients: [ChatTestClient] = []
        for _ in 0..<8 {
            let client = try ChatTestClient(port: port, loop: clientGroup.loops[0])
            #expect(client.until { $0.type == "welcome" } != nil)
            client.send(.start(StartRequest(mode: .random(RandomFilters()))))
            clients.append(client)
        }
        for client in clients {
            let started = try #require(client.until { $0.type == "session_started" }?.last)
            guard case .sessionStarted(let start) = started else { return }
            #expect(start.kind == .human)
            sessions.append(start.session)
        }
        for (client, session) in zip(clients, sessions) {
            client.send(.message(session: session, text: "from \(session)", id: "x"))
        }
        var heard: Set<String> = []
        for client in clients {
            let relayed = try #require(client.until { $0.type == "partner_message" }?.last)
            if case .partnerMessage(_, _, let text) = relayed { heard.insert(text) }
        }
        #expect(heard == Set(sessions.map { "from \($0)" }))
        // `matched` counts sessions paired with a human: both sides of each of the four pairs.
        #expect(server.statistics().counters.matched == 8)
        for client in clients { client.close() }
        #expect(server.shutdown())
    }

    @Test("replacing the registry serves new sessions from the new snapshot at once")
    func replaceRegistry() throws {
        let full = try RegistryLoader(personalities: fixtures).load().snapshot
        let group = try EventLoopGroup(loops: 2)
        defer { group.shutdown() }
        let clients = try EventLoopGroup(loops: 1)
        defer { clients.shutdown() }
        let server = ChatServer(snapshot: full, group: group)
        let port = try server.start(at: SocketAddress(host: "127.0.0.1", port: 0)).port
        let reduced = RegistrySnapshot(
            personalities: full.personalities.filter { $0.id != "parrot" }, limits: full.limits,
            routing: full.routing)
        server.replaceRegistry(with: reduced)
        let client = try ChatTestClient(port: port, loop: clients.loops[0])
        #expect(client.until { $0.type == "welcome" } != nil)
        client.send(.start(StartRequest(mode: .direct(personality: "parrot"))))
        let refused = try #require(client.until { $0.type == "error" }?.last)
        guard case .error(let report) = refused else { return }
        #expect(report.code == .unknownPersonality)
        client.send(.start(StartRequest(mode: .direct(personality: "brief"))))
        #expect(client.until { $0.type == "session_started" } != nil)
        #expect(server.shutdown())
    }
}
